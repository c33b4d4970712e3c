import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { Reporter } from '../reporter.ts';
import type { StoreData } from '../store/read-db.ts';
import { readVexConfig } from '../vex/vex-config.ts';
import { csvCell } from './csv.ts';
import { exportFindings, type ExportedFinding } from './export-findings.ts';

/** The fields of one exported finding, in CSV column order (docs/export.md#findings). */
export const FINDING_COLUMNS: ReadonlyArray<keyof ExportedFinding> = [
  'image',
  'imageId',
  'containers',
  'id',
  'severity',
  'pkg',
  'installed',
  'fixed',
  'kev',
  'kevDateAdded',
  'kevDueDate',
  'epss',
  'percentile',
  'acceptance',
  'until',
];

/**
 * `export --findings`: one JSON object per line (JSON Lines) or one CSV row per finding, written
 * as they stream, with back-pressure, so memory does not grow with the fleet's findings.
 */
export async function writeFindings(
  dataDir: string,
  data: StoreData['data'],
  format: 'json' | 'csv',
  out: Writable,
  reporter: Reporter,
): Promise<void> {
  const unreadable: string[] = [];
  if (format === 'csv') await write(out, `${FINDING_COLUMNS.join(',')}\r\n`);
  const findings = exportFindings(
    dataDir,
    data,
    readVexConfig(process.env),
    new Date(),
    unreadable,
  );
  for await (const f of findings)
    await write(
      out,
      format === 'csv'
        ? `${FINDING_COLUMNS.map((c) => cell(f[c])).join(',')}\r\n`
        : `${JSON.stringify(f)}\n`,
    );
  for (const image of unreadable)
    reporter.warn(
      `export: the findings file of ${image} is missing or damaged; its findings are not listed`,
    );
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function cell(value: ExportedFinding[keyof ExportedFinding]): string {
  return csvCell(Array.isArray(value) ? value.join(' ') : value);
}
