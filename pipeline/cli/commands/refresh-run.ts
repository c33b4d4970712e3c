import { formatDuration } from '../../config/duration.ts';
import {
  SETTINGS,
  readOptionalValue,
  readSwitch,
  resolveDataDir,
  resolveWait,
} from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import type { Reporter } from '../../reporter.ts';
import { runArchiveStage } from '../../stages/archive-stage.ts';
import { resolveFeedsConfig, runFeedsStage } from '../../stages/feeds-stage.ts';
import { resolveNotifyConfig, runNotifyStage } from '../../stages/notify-stage.ts';
import { resolveScanConfig, runScanStage } from '../../stages/scan-stage.ts';
import { resolveSiteConfig, runSiteStage } from '../../stages/site-stage.ts';
import { resolveSnapshotConfig, runSnapshotStage } from '../../stages/snapshot-stage.ts';
import { resolveUpdateConfig, runUpdateStage } from '../../stages/update-stage.ts';
import { openStore } from '../../store/db.ts';
import { parseRetention } from '../../store/retention.ts';
import { withRunLock } from '../../store/run-lock.ts';
import type { SetExit } from '../command-table.ts';
import { listenForInterrupt } from '../interrupt.ts';
import { createOutput } from '../output.ts';
import type { RefreshFlags } from './refresh.ts';
import { reportRecovery } from './report-recovery.ts';

/** Run `refresh` once, or every `--every` until a signal: settings first, then under the lock. */
export async function runRefresh(flags: RefreshFlags, setExit: SetExit): Promise<void> {
  const env = process.env;
  const out = createOutput(process.stderr, env, flags.quiet);
  // Every setting is read and checked before anything is written.
  const dataDir = resolveDataDir(flags.dataDir, env);
  const settings: RefreshSettings = {
    dataDir,
    snapshot: resolveSnapshotConfig(flags, env),
    scan: resolveScanConfig(flags, env, dataDir),
    retention: parseRetention(env.DOCKPEEK_RETENTION),
    updates:
      flags.updates !== false && readSwitch(env, 'DOCKPEEK_UPDATES', true)
        ? resolveUpdateConfig(flags, env)
        : undefined,
    site: await resolveSiteConfig(flags, env, dataDir),
    notify: await resolveNotifyConfig(env),
    feeds: readSwitch(env, 'DOCKPEEK_FEEDS', true) ? await resolveFeedsConfig({}, env) : undefined,
    quiet: Boolean(flags.quiet),
  };
  // Absent (or empty): run once; alone: every 30m.
  const everyMs = readOptionalValue(SETTINGS.every, flags.every || undefined) ?? 0;
  const waitMs = resolveWait(flags.wait);
  const once = () =>
    withRunLock(dataDir, 'refresh', waitMs, out, async () => {
      // Listening only while holding the lock: a signal while waiting for it still ends us.
      const interrupt = listenForInterrupt();
      try {
        const code = await refreshOnce(settings, out, interrupt.signal);
        const stopped = interrupt.exitCode();
        if (stopped) setExit(stopped);
        return stopped ?? code;
      } finally {
        interrupt.dispose();
      }
    });
  if (!everyMs) {
    setExit(await once());
    return;
  }
  await loop(everyMs, once, out);
}

interface RefreshSettings {
  dataDir: string;
  snapshot: ReturnType<typeof resolveSnapshotConfig>;
  scan: ReturnType<typeof resolveScanConfig>;
  retention: ReturnType<typeof parseRetention>;
  updates: ReturnType<typeof resolveUpdateConfig> | undefined;
  site: Awaited<ReturnType<typeof resolveSiteConfig>>;
  notify: Awaited<ReturnType<typeof resolveNotifyConfig>>;
  feeds: Awaited<ReturnType<typeof resolveFeedsConfig>> | undefined;
  quiet: boolean;
}

async function refreshOnce(
  s: RefreshSettings,
  out: Reporter,
  signal?: AbortSignal,
): Promise<number> {
  const started = performance.now();
  const store = await openStore(s.dataDir);
  reportRecovery(store, out);
  const snap = await runSnapshotStage(store, s.snapshot, out);
  // A missing or broken Trivy degrades the run: the rest still runs, and the site says why.
  const scan = await runScanStage(store, s.scan, out, { quiet: s.quiet, strict: false, signal });
  // Interrupted: the scan put its images back and wrote the store; the rest of the job waits.
  if (scan.interrupted) return EXIT.degraded;
  if (s.updates) await runUpdateStage(store, s.updates, out);
  await runArchiveStage(store, out, s.retention);
  // Feeds older than DOCKPEEK_FEEDS_MAX_AGE; a failed one keeps its copy and degrades the run.
  const feeds =
    s.feeds && (await runFeedsStage(s.dataDir, s.feeds, out, { onlyOlderThanMaxAge: true }));
  const site = await runSiteStage(s.site, out);
  // Last, after publishing, so every link in a message opens a page that exists.
  const notified = await runNotifyStage(store, s.notify, out);
  const code =
    snap.degraded || scan.degraded || feeds?.degraded || site.degraded || notified.degraded
      ? EXIT.degraded
      : EXIT.ok;
  out.info(
    `refresh: done in ${formatDuration(performance.now() - started)}${code ? ' (degraded: exit 2)' : ''}`,
  );
  return code;
}

/** Run, sleep, repeat; a signal while sleeping stops at once, during a run after it. */
async function loop(everyMs: number, once: () => Promise<number>, out: Reporter): Promise<void> {
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
