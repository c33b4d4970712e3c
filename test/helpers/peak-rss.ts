import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { CliResult } from './cli.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/dockpeek-security.mjs');
const TIME = '/usr/bin/time';

/**
 * Run the real CLI like runCli, under GNU time, and return its peak resident set size in MiB.
 * time's %M is the largest RSS of the CLI process or any one process it waited for (a trivy):
 * the figure that matters on a small host. Needs Debian's `time` package.
 */
export async function runCliPeakRss(
  args: string[],
  env: Record<string, string>,
  dir: string,
): Promise<CliResult & { peakMiB: number }> {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time`);
  const file = path.join(dir, `peak-rss-${Date.now()}.txt`);
  const result = await execa(TIME, ['-f', '%M', '-o', file, process.execPath, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
    timeout: 300_000,
  });
  // time writes "Command exited with non-zero status N" before the figure when the exit is not 0.
  const kib = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`no peak RSS in ${file}`);
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    peakMiB: kib / 1024,
  };
}
