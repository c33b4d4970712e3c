import type { Command } from 'commander';
import {
  SCAN_OPTIONS,
  SITE_OPTIONS,
  SNAPSHOT_OPTIONS,
  pickOptions,
} from '../../config/option-table.ts';
import { option, type FlagsOf } from '../../config/option-types.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';
import { addSiteHelp } from './shared-options.ts';

const OPTIONS = {
  ...pickOptions('dataDir', 'every'),
  updates: option('--no-updates', 'skip the update check (or DOCKPEEK_UPDATES=0)'),
  ...pickOptions('updateTtl'),
  ...SNAPSHOT_OPTIONS,
  ...SCAN_OPTIONS,
  ...SITE_OPTIONS,
  ...pickOptions('wait', 'quiet'),
};

/** The flags of `refresh`. */
export type RefreshFlags = FlagsOf<typeof OPTIONS>;

/** `dockpeek-security refresh` (npm start): snapshot → scan → updates → archive → build → publish. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  addSiteHelp(command)
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
    .action(async (parsed) => {
      // Every stage loads only now, not for --help.
      const { runRefresh } = await import('./refresh-run.ts');
      await runRefresh(readFlags(parsed), setExit);
    });
}
