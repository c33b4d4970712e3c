import path from 'node:path';
import { parseDuration } from './duration.ts';

/** The value of a flag if given, else of its environment variable, else the default. */
export function pick(flag: string | undefined, env: string | undefined, fallback: string): string {
  return flag ?? (env || fallback);
}

/** $DOCKPEEK_DATA_DIR (or --data-dir), default ./data, resolved against the working directory. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return path.resolve(pick(flag, env.DOCKPEEK_DATA_DIR, './data'));
}

/** A duration from a flag or its variable, in milliseconds; errors name where it came from. */
export function resolveDuration(
  source: { flag: string; value: string | undefined },
  variable: string,
  env: NodeJS.ProcessEnv,
  fallback: string,
): number {
  const value = pick(source.value, env[variable], fallback);
  return parseDuration(value, source.value !== undefined ? source.flag : variable);
}
