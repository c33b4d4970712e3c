import path from 'node:path';
import { SETTINGS, readSetting } from '../config/settings.ts';

/** Where accepted-risk rules are read from, and the cap of one file. */
export interface VexConfig {
  /** Absolute paths: files or folders; empty when DOCKPEEK_VEX is unset. */
  paths: string[];
  maxBytes: number;
}

/** DOCKPEEK_VEX (comma-separated files or folders, or `flag`), DOCKPEEK_VEX_MAX_SIZE (4MiB). */
export function readVexConfig(env: NodeJS.ProcessEnv, flag?: string): VexConfig {
  const raw = flag ?? env.DOCKPEEK_VEX ?? '';
  return {
    paths: raw
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => path.resolve(p)),
    maxBytes: readSetting(SETTINGS.vexMaxSize, undefined, env),
  };
}
