import { Option, type Command } from 'commander';
import { resolveDataDir } from '../../config/settings.ts';
import { DockpeekError } from '../../errors.ts';
import { buildExport } from '../../export/build-export.ts';
import { toCsv } from '../../export/csv.ts';
import { openStore } from '../../store/db.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

/** `dockpeek-security export`: the current state on stdout, the stable interface for automation. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('Print the current state on stdout as JSON (default) or CSV')
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'),
    )
    .option('--data-dir <dir>', 'where db.json lives [env DOCKPEEK_DATA_DIR, default ./data]')
    .addHelpText(
      'after',
      '\nJSON: { generatedAt, snapshotAt, hosts[], containers[] } as documented in the README.\n' +
        'CSV: one row per container. security counts are empty unless security_status is "scanned".',
    )
    .action(async (flags: { format: 'json' | 'csv'; dataDir?: string }) => {
      const store = await openStore(resolveDataDir(flags.dataDir, process.env));
      reportRecovery(store, createOutput());
      const snapshot = store.db.data.snapshot;
      if (!snapshot) {
        throw new DockpeekError(
          'no_snapshot',
          `there is no snapshot in ${store.file} yet`,
          'Run `dockpeek-security snapshot` first.',
        );
      }
      const data = buildExport(snapshot, store.db.data.scans, new Date(), store.db.data.updates);
      process.stdout.write(
        flags.format === 'csv' ? toCsv(data) : `${JSON.stringify(data, null, 2)}\n`,
      );
    });
}
