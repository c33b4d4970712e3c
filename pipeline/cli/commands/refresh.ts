import type { Command } from 'commander';
import type { SetExit } from '../command-table.ts';
import type { RefreshFlags } from './refresh-run.ts';
import {
  addLockOptions,
  addScanOptions,
  addSiteOptions,
  addSnapshotOptions,
} from './shared-options.ts';

/** `dockpeek-security refresh` (npm start): snapshot → scan → updates → archive → build → publish. */
export function defineCommand(command: Command, setExit: SetExit): void {
  command
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option(
      '--every <duration>',
      `run again every <duration> until SIGTERM/SIGINT (for hosts without cron; 1m to 24d)`,
    )
    .option('--no-updates', 'skip the update check (or DOCKPEEK_UPDATES=0)')
    .option(
      '--update-ttl <duration>',
      'reuse update results this long [env DOCKPEEK_UPDATE_TTL, default 6h]',
    );
  addSnapshotOptions(command);
  addScanOptions(command);
  addSiteOptions(command);
  addLockOptions(command)
    .option('-q, --quiet', 'print only the stage summaries, warnings and errors')
    .addHelpText(
      'after',
      '\nArchive retention: DOCKPEEK_RETENTION = a count (500) or ALL,DAILY (default 48h,90d: every snapshot of the\n' +
        'last 48 hours, then one a day for 90 days). Without a usable Trivy the scan stage is skipped and the site says why.\n' +
        'Exit codes: 0 ok, 1 configuration error or another run holds the data dir, 2 completed but degraded\n' +
        '(a host unreachable, scans failed or impossible, a feed failed, a notification not delivered: it is\n' +
        'sent next run). Feeds (KEV, EPSS) older than DOCKPEEK_FEEDS_MAX_AGE (default 24h) are downloaded again\n' +
        'before the build; DOCKPEEK_FEEDS=0 skips them (docs/feeds.md). Last stage: notify (DOCKPEEK_NOTIFY_URLS;\n' +
        'see dockpeek-security notify --help).',
    )
    .action(async (flags: RefreshFlags) => {
      // Every stage loads only now, not for --help.
      const { runRefresh } = await import('./refresh-run.ts');
      await runRefresh(flags, setExit);
    });
}
