import type { Command } from 'commander';
import path from 'node:path';
import { pickOptions } from '../../config/option-table.ts';
import { option } from '../../config/option-types.ts';
import { resolveDataDir } from '../../config/settings.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

const OPTIONS = {
  format: option('--format <format>', 'output format', {
    choices: ['json', 'csv'],
    default: 'json',
  }),
  ...pickOptions('dataDir'),
  findings: option(
    '--findings',
    'one line per finding instead (JSON Lines, or CSV): KEV, EPSS, percentile, accepted risk',
  ),
};

/** `dockpeek-security export`: the current state on stdout, the stable interface for automation. */
export function defineCommand(command: Command): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nJSON: { generatedAt, snapshotAt, hosts[], containers[] } as documented in the README.\n' +
        'CSV: one row per container. security counts are empty unless security_status is "scanned".\n' +
        '--findings: every finding of every scanned image, streamed, with kev, epss and percentile (null when\n' +
        'the feed is not stored: run dockpeek-security feeds) and acceptance by DOCKPEEK_VEX. See docs/export.md.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
      // A reader of db.json only: no lowdb, no archive, no Docker, no site code.
      const [{ readStoreData }, { requireSnapshot }] = await Promise.all([
        import('../../store/read-db.ts'),
        import('../../store/require-snapshot.ts'),
      ]);
      const store = await readStoreData(resolveDataDir(flags.dataDir, process.env));
      reportRecovery(store, createOutput());
      const { scans, updates } = store.data;
      const snapshot = requireSnapshot(store.data, store.file);
      if (flags.findings) {
        const { writeFindings } = await import('../../export/write-findings.ts');
        await writeFindings(
          path.dirname(store.file),
          store.data,
          flags.format,
          process.stdout,
          createOutput(),
        );
        return;
      }
      const { buildExport } = await import('../../export/build-export.ts');
      const { readVexConfig } = await import('../../vex/vex-config.ts');
      const now = new Date();
      const vex = readVexConfig(process.env);
      // Judging reads every findings file: only when a rule could take a finding out.
      const judged = vex.paths.length
        ? await (
            await import('../../export/judged-scans.ts')
          ).judgeForExport(path.dirname(store.file), snapshot, scans, vex, now)
        : scans;
      const data = buildExport(snapshot, scans, now, updates, judged);
      if (flags.format === 'csv') {
        const { toCsv } = await import('../../export/csv.ts');
        process.stdout.write(toCsv(data));
      } else process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    });
}
