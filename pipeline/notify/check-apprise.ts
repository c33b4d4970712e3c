import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';
import { NOTIFY_ERRORS } from '../errors/notify-errors.ts';
import { runApprise, withAppriseConfig } from './apprise-process.ts';
import type { Destination } from './destinations.ts';

/** The apprise executable: a path as given, else the first `name` on PATH; null when none. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  const runnable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (name.includes('/')) return runnable(name) ? path.resolve(name) : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name);
    if (runnable(file)) return file;
  }
  return null;
}

/**
 * Check up front that every apprise URL can be sent: apprise is installed, and its dry run loads
 * each URL. Throws config_invalid naming the item and its scheme (never its text).
 */
export async function checkApprise(
  destinations: Destination[],
  bin: string,
  options: { timeoutMs: number; env: NodeJS.ProcessEnv },
): Promise<string | null> {
  const viaApprise = destinations.filter((d) => d.kind === 'apprise');
  if (viaApprise.length === 0) return null;
  const found = findExecutable(bin, options.env);
  const first = viaApprise[0]!;
  if (!found)
    throw createError(NOTIFY_ERRORS.appriseMissing, {
      position: first.position,
      scheme: first.scheme,
      bin,
    });
  const run = await withAppriseConfig(
    viaApprise.map((d) => d.url),
    (file) => runApprise(found, ['--dry-run', '--config', file], options),
  );
  const loaded = run.stdout.split('\n').filter((l) => /^\s*\d+\.\s/.test(l)).length;
  if (run.exitCode !== 0 || loaded !== viaApprise.length) {
    if (run.timedOut || run.spawnError)
      throw createError(NOTIFY_ERRORS.appriseCheckFailed, {
        bin: found,
        spawnError: run.spawnError,
        timeoutMs: options.timeoutMs,
      });
    // Apprise names the URLs it cannot parse on stderr; name them back by position only.
    const bad = viaApprise.find((d) => run.stderr.includes(`Unparseable URL ${d.url}`)) ?? first;
    throw createError(NOTIFY_ERRORS.appriseUrlRejected, {
      position: bad.position,
      scheme: bad.scheme,
    });
  }
  return found;
}
