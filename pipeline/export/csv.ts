import { SEVERITIES } from '../vocabulary.ts';
import type { Export, ExportContainer } from './schema.ts';

const COLUMNS: Array<
  [string, (c: ExportContainer) => string | number | boolean | null | undefined]
> = [
  ['host', (c) => c.host],
  ['name', (c) => c.name],
  ['id', (c) => c.id],
  ['image', (c) => c.image],
  ['image_id', (c) => c.imageId],
  ['state', (c) => c.state],
  ['health', (c) => c.health],
  ['stack', (c) => c.stack],
  ['role', (c) => c.orchestration.role],
  ['anchor', (c) => c.orchestration.anchor],
  ['anchor_type', (c) => c.orchestration.anchorType],
  ['dependents', (c) => c.orchestration.dependents.join(';')],
  ['inferred', (c) => c.orchestration.inferred],
  ['warnings', (c) => c.orchestration.warnings.join(' | ')],
  ['security_status', (c) => c.security.status],
  ...SEVERITIES.map((s): [string, (c: ExportContainer) => number | null] => [
    s,
    (c) => c.security.counts[s],
  ]),
  ['findings', (c) => c.security.findings],
  ['unique_cves', (c) => c.security.uniqueCves],
  ['fixable', (c) => c.security.fixable],
  ['error_code', (c) => c.security.error?.code],
  ['error_message', (c) => c.security.error?.message],
  ['retry_after', (c) => c.security.retryAfter],
  ['scanned_at', (c) => c.security.scannedAt],
  ['update_status', (c) => c.update?.status],
  // Added in 1.3 at the end, so that scripts reading columns by position keep working.
  ['accepted', (c) => c.security.accepted],
  ...SEVERITIES.map((s): (typeof COLUMNS)[number] => [`raw_${s}`, (c) => c.security.raw.counts[s]]),
  ['raw_findings', (c) => c.security.raw.findings],
];

/** One CSV row per container (RFC 4180), safe to open in a spreadsheet. */
export function toCsv(data: Export): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const container of data.containers) {
    lines.push(COLUMNS.map(([, get]) => csvCell(get(container))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Quote when needed, and defuse values a spreadsheet would run as a formula. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
