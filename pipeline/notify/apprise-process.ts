import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { killGroup } from '../scan/run-process.ts';

/** What one apprise run did. Failures are data. */
export interface AppriseRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** Killed at the deadline (with its process group). */
  timedOut: boolean;
  /** It could not be started (ENOENT, EACCES). */
  spawnError?: string;
}

/**
 * Write URLs to a config file only this user can read (0600, in a fresh 0700 folder), run `work`
 * with its path, then remove it, also when the process exits early. URLs never reach argv, where
 * every user of the machine can read them (/proc/<pid>/cmdline).
 */
export async function withAppriseConfig<T>(
  urls: string[],
  work: (file: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dpk-apprise-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.on('exit', remove);
  try {
    const file = path.join(dir, 'urls.txt');
    await writeFile(file, `${urls.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
    return await work(file);
  } finally {
    remove();
    process.off('exit', remove);
  }
}

/**
 * Run the apprise CLI in its own process group with `input` on stdin; at the deadline the whole
 * group is killed. Its environment has no DOCKPEEK_* or APPRISE_* variables: apprise gets its
 * URLs from the config file alone.
 */
export async function runApprise(
  bin: string,
  args: string[],
  options: { input?: string; timeoutMs: number; env: NodeJS.ProcessEnv },
): Promise<AppriseRun> {
  const env = Object.fromEntries(
    Object.entries(options.env).filter(([k]) => !/^(DOCKPEEK_|APPRISE_)/.test(k)),
  );
  const child = execa(bin, args, {
    env: { ...env, PYTHONUTF8: '1' },
    extendEnv: false,
    detached: true,
    reject: false,
    input: options.input ?? '',
    maxBuffer: 1 << 20,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  const result = await child;
  clearTimeout(timer);
  killGroup(child.pid);
  const spawnFailed = result.failed && result.exitCode === undefined && !result.isTerminated;
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut,
    ...(spawnFailed && !timedOut && { spawnError: result.shortMessage }),
  };
}

/** Apprise's last warning or error, without its time and level: what went wrong, in words. */
export function lastAppriseLine(text: string): string {
  const logged = [...text.matchAll(/^[\d-]+ [\d:,]+ - (?:ERROR|WARNING|CRITICAL) - (.+)$/gm)];
  if (logged.length) return logged.at(-1)![1]!.trim();
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
