import { createDataRecord, ownValue } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Tally } from './judge.ts';

export { imageCounts, snapshotCounts, type SnapshotCounts } from '../scan/snapshot-counts.ts';

/**
 * Scan records as the findings core judges them: a scanned image whose findings were read carries
 * the counts left after accepted findings were taken out; the others keep their record (a failed
 * or unread image has no judged counts, and readers show it as unknown, never as zero).
 */
export function judgedScans(
  scans: Record<string, ScanRecord>,
  tallies: Map<string, Tally>,
): Record<string, ScanRecord> {
  const out = createDataRecord(Object.entries(scans));
  for (const [key, tally] of tallies) {
    const record = ownValue(out, key);
    if (tally.accepted > 0 && record?.summary) out[key] = { ...record, summary: tally.summary };
  }
  return out;
}
