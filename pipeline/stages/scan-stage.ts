import path from 'node:path';
import type { Output } from '../cli/output.ts';
import { formatDuration } from '../config/duration.ts';
import { pick, resolveDuration } from '../config/settings.ts';
import { readHostConfigs } from '../docker/hosts.ts';
import { DockpeekError } from '../errors.ts';
import { runScan, type ScanConfig } from '../scan/run-scan.ts';
import { createScanProgress } from '../scan/scan-progress.ts';
import type { Store } from '../store/db.ts';

/** Flags shared by `scan` and `refresh`. */
export interface ScanFlags {
  workers?: string;
  scanTimeout?: string;
  failedTtl?: string;
  resultTtl?: string;
  force?: boolean;
}

/** Trivy settings from flags and environment (SPEC §2); errors name the flag or variable. */
export function resolveScanConfig(
  flags: ScanFlags,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): ScanConfig {
  const workers = Number(pick(flags.workers, env.TRIVY_SCAN_WORKERS, '3'));
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new DockpeekError(
      'config_invalid',
      `${flags.workers !== undefined ? '--workers' : 'TRIVY_SCAN_WORKERS'} must be a whole number from 1 to 64`,
    );
  }
  const maxOutputBytes = Number(env.DOCKPEEK_TRIVY_MAX_OUTPUT || 256 * 1024 * 1024);
  if (!Number.isFinite(maxOutputBytes) || maxOutputBytes < 1024) {
    throw new DockpeekError(
      'config_invalid',
      'DOCKPEEK_TRIVY_MAX_OUTPUT must be a number of bytes (at least 1024)',
    );
  }
  return {
    bin: env.TRIVY_BIN || 'trivy',
    cacheDir: path.resolve(env.TRIVY_CACHE_DIR || path.join(dataDir, 'trivy-cache')),
    ...(env.TRIVY_SERVER && { server: env.TRIVY_SERVER }),
    ...(env.TRIVY_TOKEN && { token: env.TRIVY_TOKEN }),
    timeoutMs: resolveDuration(
      { flag: '--scan-timeout', value: flags.scanTimeout },
      'TRIVY_SCAN_TIMEOUT',
      env,
      '150s',
    ),
    failedTtlMs: resolveDuration(
      { flag: '--failed-ttl', value: flags.failedTtl },
      'TRIVY_FAILED_TTL',
      env,
      '1h',
    ),
    resultTtlMs: resolveDuration(
      { flag: '--result-ttl', value: flags.resultTtl },
      'TRIVY_RESULT_TTL',
      env,
      '24h',
    ),
    workers,
    maxOutputBytes,
    force: Boolean(flags.force),
    hosts: readHostConfigs(env),
    env,
  };
}

/**
 * Scan what needs it and say in one line what happened; degraded when any image is failed,
 * interrupted when `signal` was aborted (the caller picks the exit code).
 */
export async function runScanStage(
  store: Store,
  config: ScanConfig,
  out: Output,
  quiet = false,
  signal?: AbortSignal,
): Promise<{ degraded: boolean; trivyCalls: boolean; interrupted: boolean }> {
  const started = performance.now();
  const progress = createScanProgress(process.stderr, quiet);
  const summary = await runScan(store, config, progress, signal);
  for (const note of summary.notes) out.warn(note);
  if (summary.interrupted) {
    out.warn(
      `scan: interrupted (${String(signal?.reason ?? 'aborted')}): running trivy processes killed, unfinished images put back as they were; ${summary.scanned} ok, ${summary.failed} failed before that`,
    );
    return { degraded: true, trivyCalls: summary.queued > 0, interrupted: true };
  }
  const how =
    summary.trivyVersion || summary.strategy
      ? ` (trivy ${summary.trivyVersion ?? '?'}, ${summary.strategy} cache, ${Math.min(config.workers, summary.queued)} workers)`
      : '';
  out.info(
    `scan: ${summary.queued} scanned this run${how}: ${summary.scanned} ok, ${summary.failed} failed; ` +
      `${summary.reused} reused from cache, ${summary.skipped} skipped` +
      (summary.invalid ? `, ${summary.invalid} invalid (image_invalid, not given to trivy)` : '') +
      `; ${formatDuration(performance.now() - started)}`,
  );
  if (summary.failingImages > 0) {
    out.warn(
      `${summary.failingImages} image(s) are in the failed state; \`dockpeek-security export\` shows why and when each is retried`,
    );
  }
  return {
    degraded: summary.failingImages > 0,
    trivyCalls: summary.queued > 0,
    interrupted: false,
  };
}
