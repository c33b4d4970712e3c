import path from 'node:path';
import type { ScanFlags } from '../config/option-table.ts';
import type { Reporter } from '../reporter.ts';
import { formatDuration } from '../config/duration.ts';
import { SETTINGS, readChoice, readSetting } from '../config/settings.ts';
import { readHostConfigs } from '../docker/hosts.ts';
import { DockpeekError, createError } from '../errors.ts';
import { CONFIG_ERRORS } from '../errors/config-errors.ts';
import { runScan, type ScanConfig } from '../scan/run-scan.ts';
import { createScanProgress } from '../scan/scan-progress.ts';
import type { Store } from '../store/db.ts';
import { createScanLedger } from '../store/scan-ledger.ts';

export type { ScanFlags };

/** Trivy settings from flags and environment; errors name the flag or variable. */
export function resolveScanConfig(
  flags: ScanFlags,
  env: NodeJS.ProcessEnv,
  dataDir: string,
): ScanConfig {
  const cacheRoot = env.TRIVY_CACHE_DIR ? path.resolve(env.TRIVY_CACHE_DIR) : undefined;
  return {
    bin: env.TRIVY_BIN || 'trivy',
    cacheDir: cacheRoot ?? path.resolve(dataDir, 'trivy-cache'),
    serverCacheDir: cacheRoot
      ? path.join(cacheRoot, 'server')
      : path.resolve(dataDir, 'trivy-server-cache'),
    choice: readChoice(SETTINGS.scanStrategy, env),
    serverStartMs: readSetting(SETTINGS.trivyServerStart, undefined, env),
    ...(env.TRIVY_SERVER && { server: checkServerUrl(env.TRIVY_SERVER) }),
    ...(env.TRIVY_TOKEN && { token: env.TRIVY_TOKEN }),
    timeoutMs: readSetting(SETTINGS.scanTimeout, flags.scanTimeout, env),
    failedTtlMs: readSetting(SETTINGS.failedTtl, flags.failedTtl, env),
    resultTtlMs: readSetting(SETTINGS.resultTtl, flags.resultTtl, env),
    workers: readSetting(SETTINGS.scanWorkers, flags.scanWorkers, env),
    maxOutputBytes: readSetting(SETTINGS.trivyMaxOutput, undefined, env),
    force: Boolean(flags.force),
    hosts: readHostConfigs(env),
    connectTimeoutMs: readSetting(SETTINGS.connectTimeout, undefined, env),
    env,
  };
}

/** TRIVY_SERVER must be the http(s) URL of a `trivy server`. */
function checkServerUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol))
    throw createError(CONFIG_ERRORS.trivyServerInvalid, { value });
  return value;
}

/**
 * Scan what needs it and say in one line what happened; degraded when any image is failed,
 * interrupted when `options.signal` was aborted (the caller picks the exit code). When no scanner
 * can run at all, the store records why (the site shows it); `strict` (the scan command) then
 * fails with exit 1, otherwise (refresh) the run goes on, degraded.
 */
export async function runScanStage(
  store: Store,
  config: ScanConfig,
  out: Reporter,
  options: { quiet?: boolean; strict?: boolean; signal?: AbortSignal } = {},
): Promise<{ degraded: boolean; trivyCalls: boolean; interrupted: boolean }> {
  const started = performance.now();
  const progress = createScanProgress(process.stderr, options.quiet);
  const signal = options.signal;
  const ledger = createScanLedger(store);
  let summary;
  try {
    summary = await runScan(ledger, config, progress, signal);
  } catch (error) {
    if (!(error instanceof DockpeekError && error.code === 'scanner_unavailable')) throw error;
    ledger.recordRun({
      state: 'unavailable',
      at: new Date().toISOString(),
      message: error.message,
      hint: error.hint ?? '',
    });
    await ledger.save();
    if (options.strict) throw error;
    out.warn(`scan: skipped, nothing was scanned: ${error.message}`);
    if (error.hint) out.warn(`  ${error.hint}`);
    return { degraded: true, trivyCalls: false, interrupted: false };
  }
  ledger.recordRun({ state: 'ran', at: new Date().toISOString() });
  await ledger.save();
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
