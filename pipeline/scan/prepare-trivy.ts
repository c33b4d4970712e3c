import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { classifyFailure, type ScanFailure } from './classify.ts';
import { createJavaDb, type JavaDb } from './java-db.ts';
import { runProcess } from './run-process.ts';
import {
  chooseStrategy,
  downloadDbArgs,
  javaCacheDir,
  sharedCacheDir,
  type CacheStrategy,
  type StrategyChoice,
} from './trivy-args.ts';

export interface TrivySetup {
  /** The version as `major.minor.patch`, when trivy said one. */
  version: string | undefined;
  /** What trivy said its version is (`0.74.0`, `dev`), for the records. */
  versionText: string | undefined;
  strategy: CacheStrategy;
  /** The Java DB of this run: refreshed when there, downloaded once when a scan needs it. */
  javaDb: JavaDb;
  /** Set when the DB could not be had: every scan of this run fails with it. */
  dbFailure?: ScanFailure;
  /** Said to the user, e.g. "DB download failed, using the cached DB". */
  notes: string[];
}

export interface TrivyConfig {
  bin: string;
  cacheDir: string;
  /** The private server's cache (DB and analysed layers), kept from one run to the next. */
  serverCacheDir: string;
  /** TRIVY_SCAN_STRATEGY. */
  choice: StrategyChoice;
  /** How long the private server may take to answer /healthz. */
  serverStartMs: number;
  server?: string;
  /** TRIVY_TOKEN: given to trivy in its environment, in server mode only. */
  token?: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

/** What every trivy process of a run is started with (trivy-env.ts, run-scan.ts). */
export interface TrivyRuntime {
  /** The environment with only the TRIVY_* variables that may reach trivy, and no token. */
  env: Record<string, string>;
  /** A private, empty working directory. */
  cwd: string;
}

const DB_DEADLINE_MS = 15 * 60_000;

/**
 * Ask trivy its version, choose how workers share the cache, download the DB once and refresh a
 * Java DB that is there. Aborting `signal` kills the download; the caller sees the abort and stops.
 */
export async function prepareTrivy(
  config: TrivyConfig,
  runtime: TrivyRuntime,
  signal?: AbortSignal,
): Promise<TrivySetup> {
  const run = (args: string[], deadlineMs: number) =>
    runProcess(config.bin, args, {
      env: runtime.env,
      cwd: runtime.cwd,
      deadlineMs,
      maxOutputBytes: 1 << 20,
      ...(signal && { signal }),
    });
  const versionRun = await run(['--version'], 30_000);
  if (versionRun.spawnError) {
    const why = explainSpawn(versionRun.spawnError);
    throw createError(STORE_ERRORS.trivyUnavailable, { bin: config.bin, why });
  }
  const { version, text: versionText } = readVersion(new TextDecoder().decode(versionRun.stdout));
  const notes: string[] = [];
  if (!version)
    notes.push(
      versionText
        ? `trivy says its version is "${versionText}" (a build without a release number, as \`go install\` makes): assuming Trivy ≥ 0.68, which has the memory cache backend`
        : `could not read a version from \`${config.bin} --version\`; assuming Trivy ≥ 0.68, which has the memory cache backend`,
    );
  const strategy = chooseStrategy(version, config);
  const deadlineMs = Math.max(config.timeoutMs, DB_DEADLINE_MS);
  const javaDb = createJavaDb({
    bin: config.bin,
    cacheDir: javaCacheDir(strategy, config.cacheDir),
    env: runtime.env,
    cwd: runtime.cwd,
    deadlineMs: deadlineMs + 10_000,
    ...(signal && { signal }),
  });
  const setup = { version, versionText, strategy, javaDb, notes };
  if (config.server && config.choice === 'memory')
    notes.push('TRIVY_SCAN_STRATEGY=memory: TRIVY_SERVER is not used, each trivy scans locally');
  if (signal?.aborted) return setup;
  const javaNote = await javaDb.refresh();
  if (javaNote) notes.push(javaNote);
  const shared = sharedCacheDir(strategy);
  if (!shared || signal?.aborted) return setup;

  const download = await run(downloadDbArgs(shared, deadlineMs), deadlineMs + 10_000);
  if (download.exitCode === 0) return setup;
  const failure = download.killedAtDeadline
    ? {
        code: 'db_unavailable' as const,
        message: 'the vulnerability DB download did not finish in time',
      }
    : { ...classifyFailure(download.stderr, download.exitCode), code: 'db_unavailable' as const };
  const cached = usableDb(shared);
  if (cached === true) {
    notes.push(
      `vulnerability DB download failed (${failure.message.split('\n')[0]}); scanning with the cached DB`,
    );
    return setup;
  }
  return {
    ...setup,
    dbFailure: cached ? { ...failure, message: `${failure.message}\n(${cached})` } : failure,
  };
}

/**
 * Whether `<cacheDir>/db` holds a DB that `--skip-db-update` accepts: trivy.db, and a
 * metadata.json of schema 2 (Trivy's pkg/db). Otherwise why not, or undefined when there is none.
 */
export function usableDb(cacheDir: string): true | string | undefined {
  const dir = path.join(cacheDir, 'db');
  if (!existsSync(path.join(dir, 'trivy.db'))) return undefined;
  let version: unknown;
  try {
    version = (
      JSON.parse(readFileSync(path.join(dir, 'metadata.json'), 'utf8')) as { Version?: unknown }
    )?.Version;
  } catch {
    return `the cached DB in ${dir} has no readable metadata.json, so it cannot be used`;
  }
  return version === 2
    ? true
    : `the cached DB in ${dir} is of schema ${JSON.stringify(version)}, not 2, so it cannot be used`;
}

/** `Version: 0.74.0` → 0.74.0; `Version: dev` → no version, said as "dev". */
export function readVersion(text: string): { version?: string; text?: string } {
  const said = /^Version:\s*([0-9A-Za-z.+_-]{1,64})/m.exec(text)?.[1];
  const version = /^v?(\d+\.\d+\.\d+)/.exec(said ?? '')?.[1];
  return { ...(version && { version }), ...(said && { text: said.replace(/^v(?=\d)/, '') }) };
}

/** execa's spawn failure in a few words: "not found", "permission denied", or its first line. */
function explainSpawn(message: string): string {
  if (/ENOENT/.test(message)) return 'not found (not installed, or not on PATH)';
  if (/EACCES/.test(message)) return 'permission denied (not executable)';
  return message.split('\n')[0]!;
}
