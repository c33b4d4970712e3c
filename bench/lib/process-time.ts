// One child process measured from outside: wall time around the spawn, and the CPU time and peak
// memory the kernel counted for it (GNU time), so a busy machine's waiting shows apart from work.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const TIME = '/usr/bin/time';

/** What one run of a process cost. */
export interface ProcessTime {
  wallMs: number;
  /** User + system CPU time of the process and its threads. */
  cpuMs: number;
  peakRssMiB: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run `file args` under GNU time with exactly `env` (plus PATH) and report its cost. */
export async function measureProcess(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<ProcessTime> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-time-'));
  const report = path.join(dir, 'time');
  const started = performance.now();
  const run = await execa(TIME, ['-f', '%U %S %M', '-o', report, file, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    extendEnv: false,
    reject: false,
  });
  const wallMs = performance.now() - started;
  // The last line: GNU time puts "Command exited with non-zero status N" above it.
  const last = readFileSync(report, 'utf8').trim().split('\n').pop() ?? '';
  rmSync(dir, { recursive: true, force: true });
  const [user, system, rssKiB] = last.split(' ').map(Number);
  if (user === undefined || system === undefined || rssKiB === undefined || Number.isNaN(rssKiB))
    throw new Error(`GNU time printed no figures: ${last}`);
  return {
    wallMs,
    cpuMs: (user + system) * 1000,
    peakRssMiB: rssKiB / 1024,
    exitCode: run.exitCode ?? -1,
    stdout: String(run.stdout),
    stderr: String(run.stderr),
  };
}

/** The load average now, for the results file: figures from a busy machine say so. */
export function readLoadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
