import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const BIN = path.resolve(import.meta.dirname, '../../bin/dockpeek-security.mjs');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI in a child process, on this Node (24), with exactly the given env. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    ...(options.cwd && { cwd: options.cwd }),
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

const TIME = '/usr/bin/time';

/**
 * Run the real CLI under GNU time and return its peak resident memory (ru_maxrss), measured by
 * the kernel for the whole life of the process: no sampling, nothing missed.
 */
export async function runCliMeasured(
  args: string[],
  env: Record<string, string>,
): Promise<CliResult & { peakRssMiB: number }> {
  if (!existsSync(TIME))
    throw new Error('peak-memory tests need GNU time: apt-get install -y time (see .ci/run)');
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-rss-'));
  const report = path.join(dir, 'rss');
  const result = await execa(TIME, ['-f', '%M', '-o', report, process.execPath, BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  // The last line: GNU time puts "Command exited with non-zero status N" above it.
  const kib = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
  rmSync(dir, { recursive: true, force: true });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    peakRssMiB: kib / 1024,
  };
}

/** A fresh data dir for one test. */
export function makeDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dpk-data-'));
}

/** Every file under a directory with its contents, for "appears nowhere" checks. */
export function readTree(dir: string): Array<{ file: string; text: string }> {
  const files: Array<{ file: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) files.push(...readTree(file));
    else files.push({ file, text: readFileSync(file, 'latin1') });
  }
  return files;
}

const RECORDER = path.resolve(import.meta.dirname, 'record-modules.ts');

/**
 * Run the real CLI and list what it loaded: npm packages by name, and the project's own files
 * relative to the project ("pipeline/cli/main.ts").
 */
export async function runCliRecordingModules(
  args: string[],
  env: Record<string, string>,
): Promise<CliResult & { packages: string[]; files: string[]; loaded: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-modules-'));
  const log = path.join(dir, 'modules');
  const result = await runCli(args, {
    ...env,
    NODE_OPTIONS: `--import=${RECORDER}`,
    DPK_MODULE_LOG: log,
  });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
  rmSync(dir, { recursive: true, force: true });
  const root = `${path.resolve(import.meta.dirname, '../..')}/`;
  const files = urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  const packages = files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []);
  return {
    ...result,
    packages: [...new Set(packages)].sort(),
    /** Every file it loaded, packages' included, by absolute path. */
    loaded: files,
    files: files
      .filter((f) => f.startsWith(root) && !f.includes('/node_modules/'))
      .map((f) => f.slice(root.length)),
  };
}
