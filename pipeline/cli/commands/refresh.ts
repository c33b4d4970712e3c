import type { Command } from 'commander';
import { formatDuration, parseDuration } from '../../config/duration.ts';
import { resolveDataDir } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import { resolveScanConfig, runScanStage, type ScanFlags } from '../../stages/scan-stage.ts';
import {
  resolveSnapshotConfig,
  runSnapshotStage,
  type SnapshotFlags,
} from '../../stages/snapshot-stage.ts';
import { resolveUpdateConfig, runUpdateStage } from '../../stages/update-stage.ts';
import { archiveSnapshot } from '../../store/archive.ts';
import { openStore } from '../../store/db.ts';
import { parseRetention, pruneArchives } from '../../store/retention.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { listenForInterrupt } from '../interrupt.ts';
import { createOutput, type Output } from '../output.ts';
import { buildAndPublish, resolveSiteDir } from './build.ts';
import { reportRecovery } from './report-recovery.ts';
import { addLockOptions, addScanOptions, addSnapshotOptions } from './shared-options.ts';

type RefreshFlags = SnapshotFlags &
  ScanFlags & {
    updates?: boolean;
    updateTtl?: string;
    dataDir?: string;
    siteDir?: string;
    every?: string;
    wait?: string | boolean;
    quiet?: boolean;
  };

/** `dockpeek-security refresh` (npm start): snapshot → scan → archive → build → publish. */
export function registerRefresh(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('refresh')
    .description(
      'The whole job, for cron or a timer: snapshot → scan → archive → build → atomic publish',
    )
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option(
      '--site-dir <dir>',
      'where the site is published [env DOCKPEEK_SITE_DIR, default ./dist]',
    )
    .option(
      '--every <duration>',
      'run again every <duration> until SIGTERM/SIGINT (for hosts without cron)',
    )
    .option('--no-updates', 'skip the update check (or DOCKPEEK_UPDATES=0)')
    .option(
      '--update-ttl <duration>',
      'reuse update results this long [env DOCKPEEK_UPDATE_TTL, default 6h]',
    );
  addSnapshotOptions(command);
  addScanOptions(command);
  addLockOptions(command)
    .option('-q, --quiet', 'print only the stage summaries, warnings and errors')
    .addHelpText(
      'after',
      '\nArchive retention: DOCKPEEK_RETENTION = a count (500) or ALL,DAILY (default 48h,90d: every snapshot of the\n' +
        'last 48 hours, then one a day for 90 days). Exit codes: 0 ok, 1 configuration error or another run holds\n' +
        'the data dir, 2 completed but degraded (a host unreachable, scans failed).',
    )
    .action(async (flags: RefreshFlags) => {
      const env = process.env;
      const out = createOutput(process.stderr, env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, env);
      const settings = {
        dataDir,
        siteDir: resolveSiteDir(flags.siteDir, env),
        snapshot: resolveSnapshotConfig(flags, env),
        scan: resolveScanConfig(flags, env, dataDir),
        retention: parseRetention(env.DOCKPEEK_RETENTION),
        updates:
          flags.updates !== false && env.DOCKPEEK_UPDATES !== '0'
            ? resolveUpdateConfig(flags, env)
            : undefined,
      };
      const once = () =>
        withRunLock(dataDir, 'refresh', flags.wait, out, async () => {
          const interrupt = listenForInterrupt();
          try {
            const code = await refreshOnce(settings, out, flags.quiet, interrupt.signal);
            const stopped = interrupt.exitCode();
            if (stopped) setExit(stopped);
            return stopped ?? code;
          } finally {
            interrupt.dispose();
          }
        });
      if (!flags.every) {
        setExit(await once());
        return;
      }
      await loop(parseDuration(flags.every, '--every'), once, out);
    });
}

async function refreshOnce(
  s: {
    dataDir: string;
    siteDir: string;
    snapshot: ReturnType<typeof resolveSnapshotConfig>;
    scan: ReturnType<typeof resolveScanConfig>;
    retention: ReturnType<typeof parseRetention>;
    updates: ReturnType<typeof resolveUpdateConfig> | undefined;
  },
  out: Output,
  quiet = false,
  signal?: AbortSignal,
): Promise<number> {
  const started = performance.now();
  const store = await openStore(s.dataDir);
  reportRecovery(store, out);
  const snap = await runSnapshotStage(store, s.snapshot, out);
  const scan = await runScanStage(store, s.scan, out, quiet, signal);
  // Interrupted: the scan put its images back and wrote the store; the rest of the job waits.
  if (scan.interrupted) return EXIT.degraded;
  if (s.updates) await runUpdateStage(store, s.updates, out);
  await archiveSnapshot(s.dataDir, snap.snapshot, store.db.data.scans);
  const pruned = await pruneArchives(s.dataDir, store.db.data, s.retention);
  out.info(
    `archive: snapshot archived; ${pruned.archives} old snapshot(s) and ${pruned.reports} unused findings file(s) pruned`,
  );
  await buildAndPublish(s.dataDir, s.siteDir, out);
  const code = snap.degraded || scan.degraded ? EXIT.degraded : EXIT.ok;
  out.info(
    `refresh: done in ${formatDuration(performance.now() - started)}${code ? ' (degraded: exit 2)' : ''}`,
  );
  return code;
}

/** Run, sleep, repeat; a signal while sleeping stops at once, during a run after it. */
async function loop(everyMs: number, once: () => Promise<number>, out: Output): Promise<void> {
  let stopping = false;
  let wake: () => void = () => {};
  const stop = (signal: NodeJS.Signals) => {
    if (!stopping) out.info(`refresh: ${signal} received, stopping after the current step`);
    stopping = true;
    wake();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    while (!stopping) {
      const started = Date.now();
      try {
        await once();
      } catch (error) {
        // One failed run (another run holding the lock, a bad db) must not end the loop.
        out.error(error instanceof Error ? error.message : String(error));
      }
      const delay = Math.max(0, everyMs - (Date.now() - started));
      if (!stopping) out.info(`refresh: next run in ${formatDuration(delay)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (stopping) wake();
      });
    }
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
