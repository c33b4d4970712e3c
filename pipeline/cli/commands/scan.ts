import path from 'node:path';
import type { Command } from 'commander';
import { formatDuration } from '../../config/duration.ts';
import { pick, resolveDataDir, resolveDuration } from '../../config/settings.ts';
import { readHostConfigs } from '../../docker/hosts.ts';
import { DockpeekError, EXIT } from '../../errors.ts';
import { runScan } from '../../scan/run-scan.ts';
import { createScanProgress } from '../../scan/scan-progress.ts';
import { openStore } from '../../store/db.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

interface ScanFlags {
  dataDir?: string;
  workers?: string;
  timeout?: string;
  failedTtl?: string;
  resultTtl?: string;
  force?: boolean;
  quiet?: boolean;
}

/** `dockpeek-security scan`: scan every distinct image of the current snapshot with Trivy. */
export function registerScan(program: Command, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description(
      'Scan every distinct image of the current snapshot with the Trivy CLI, in a worker pool',
    )
    .option(
      '--data-dir <dir>',
      'where db.json and reports live [env DOCKPEEK_DATA_DIR, default ./data]',
    )
    .option('--workers <n>', 'parallel trivy processes [env TRIVY_SCAN_WORKERS, default 3]')
    .option(
      '--timeout <duration>',
      'per-image limit, passed to trivy and enforced [env TRIVY_SCAN_TIMEOUT, default 150s]',
    )
    .option(
      '--failed-ttl <duration>',
      'do not retry a failed image before [env TRIVY_FAILED_TTL, default 1h]',
    )
    .option(
      '--result-ttl <duration>',
      'reuse a scan result for [env TRIVY_RESULT_TTL, default 24h]',
    )
    .option('--force', 'rescan every image, ignoring both TTLs')
    .option('-q, --quiet', 'print only the summary, warnings and errors')
    .addHelpText(
      'after',
      '\nTrivy: TRIVY_BIN (default `trivy` on PATH); TRIVY_SERVER and TRIVY_TOKEN for client/server mode;\n' +
        'TRIVY_CACHE_DIR (default <data-dir>/trivy-cache); DOCKPEEK_TRIVY_MAX_OUTPUT (bytes of JSON, default 256 MB).\n' +
        'Exit codes: 0 every image scanned or skipped, 1 configuration error, 2 some image failed (now or cached).',
    )
    .action(async (flags: ScanFlags) => {
      const env = process.env;
      const out = createOutput(process.stderr, env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, env);
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
      const config = {
        bin: env.TRIVY_BIN || 'trivy',
        cacheDir: path.resolve(env.TRIVY_CACHE_DIR || path.join(dataDir, 'trivy-cache')),
        ...(env.TRIVY_SERVER && { server: env.TRIVY_SERVER }),
        ...(env.TRIVY_TOKEN && { token: env.TRIVY_TOKEN }),
        timeoutMs: resolveDuration(
          { flag: '--timeout', value: flags.timeout },
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
      const store = await openStore(dataDir);
      reportRecovery(store, out);
      const started = performance.now();
      const summary = await runScan(store, config, createScanProgress(process.stderr, flags.quiet));
      for (const note of summary.notes) out.warn(note);
      const how =
        summary.trivyVersion || summary.strategy
          ? ` (trivy ${summary.trivyVersion ?? '?'}, ${summary.strategy} cache, ${Math.min(workers, summary.queued)} workers)`
          : '';
      out.info(
        `scan: ${summary.queued} scanned this run${how}: ${summary.scanned} ok, ${summary.failed} failed; ` +
          `${summary.reused} reused from cache, ${summary.skipped} skipped; ${formatDuration(performance.now() - started)}`,
      );
      if (summary.failingImages > 0) {
        out.warn(
          `${summary.failingImages} image(s) are in the failed state; \`dockpeek-security export\` shows why and when each is retried`,
        );
        setExit(EXIT.degraded);
      }
    });
}
