import { existsSync } from 'node:fs';
import path from 'node:path';
import { DockpeekError } from '../errors.ts';
import { classifyFailure, type ScanFailure } from './classify.ts';
import { runProcess } from './run-process.ts';
import { withoutToken } from './scan-env.ts';
import {
  chooseStrategy,
  downloadDbArgs,
  sharedCacheDir,
  type CacheStrategy,
  type StrategyChoice,
} from './trivy-args.ts';

export interface TrivySetup {
  version: string | undefined;
  strategy: CacheStrategy;
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

const DB_DEADLINE_MS = 15 * 60_000;

/**
 * Ask trivy its version, choose how workers share the cache, and download the DB once. Aborting
 * `signal` kills the download; the caller sees the abort and stops.
 */
export async function prepareTrivy(config: TrivyConfig, signal?: AbortSignal): Promise<TrivySetup> {
  // Neither the version check nor the DB download talks to a server: no token for them.
  const env = withoutToken(config.env);
  const versionRun = await runProcess(config.bin, ['--version'], {
    env,
    deadlineMs: 30_000,
    maxOutputBytes: 1 << 20,
    ...(signal && { signal }),
  });
  if (versionRun.spawnError) {
    throw new DockpeekError(
      'scanner_unavailable',
      `cannot run trivy (${config.bin}): ${explainSpawn(versionRun.spawnError)}`,
      'Install Trivy (https://trivy.dev, "Installation") or set TRIVY_BIN to its path.',
    );
  }
  const versionText = new TextDecoder().decode(versionRun.stdout);
  const version = /Version:\s*v?(\d+\.\d+\.\d+)/.exec(versionText)?.[1];
  const notes: string[] = [];
  if (!version)
    notes.push(`could not read a version from \`${config.bin} --version\`; assuming Trivy ≥ 0.68`);
  const strategy = chooseStrategy(version, config);
  if (config.server && config.choice === 'memory')
    notes.push('TRIVY_SCAN_STRATEGY=memory: TRIVY_SERVER is not used, each trivy scans locally');
  const shared = sharedCacheDir(strategy);
  if (!shared || signal?.aborted) return { version, strategy, notes };

  const download = await runProcess(
    config.bin,
    downloadDbArgs(shared, Math.max(config.timeoutMs, DB_DEADLINE_MS)),
    {
      env,
      deadlineMs: Math.max(config.timeoutMs, DB_DEADLINE_MS) + 10_000,
      maxOutputBytes: 1 << 20,
      ...(signal && { signal }),
    },
  );
  if (download.exitCode === 0) return { version, strategy, notes };
  const failure = download.killedAtDeadline
    ? {
        code: 'db_unavailable' as const,
        message: 'the vulnerability DB download did not finish in time',
      }
    : { ...classifyFailure(download.stderr, download.exitCode), code: 'db_unavailable' as const };
  if (existsSync(path.join(shared, 'db', 'trivy.db'))) {
    notes.push(
      `vulnerability DB download failed (${failure.message.split('\n')[0]}); scanning with the cached DB`,
    );
    return { version, strategy, notes };
  }
  return { version, strategy, dbFailure: failure, notes };
}

/** execa's spawn failure in a few words: "not found", "permission denied", or its first line. */
function explainSpawn(message: string): string {
  if (/ENOENT/.test(message)) return 'not found (not installed, or not on PATH)';
  if (/EACCES/.test(message)) return 'permission denied (not executable)';
  return message.split('\n')[0]!;
}
