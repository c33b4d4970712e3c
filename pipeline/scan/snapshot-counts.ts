import { ownValue } from '../data-keys.ts';
import { SEVERITIES, zeroCounts, type Severity } from '../vocabulary.ts';
import { imageKey, type ScanRecord } from './schema.ts';

// How every reader adds findings up, declared once. It lives beside the scan records so that the
// store's archive summaries (the scanner's view) and the findings core's judged counts
// (findings/counts.ts) are the same sum over different records.

type Summary = NonNullable<ScanRecord['summary']>;

/** The counts of one image: null unless it was scanned (unknown is never zero). */
export function imageCounts(scans: Record<string, ScanRecord>, key: string): Summary | null {
  const record = ownValue(scans, key);
  return record?.status === 'scanned' && record.summary ? record.summary : null;
}

/** What a snapshot's distinct images add up to. */
export interface SnapshotCounts {
  /** Findings by severity over the scanned images; null when none was scanned. */
  counts: Record<Severity, number> | null;
  images: number;
  scannedImages: number;
  failedImages: number;
  skippedImages: number;
}

/**
 * The counts of a snapshot (the fleet now, or an archived one): each distinct image once, summed
 * over the scanned ones. An image is skipped when a container running it says so, as the
 * dashboard counts it. Home, History, the export and notifications all add up through here.
 */
export function snapshotCounts(
  snapshot: { containers: ReadonlyArray<Parameters<typeof imageKey>[0] & { scanSkip?: boolean }> },
  scans: Record<string, ScanRecord>,
): SnapshotCounts {
  const skip = new Map<string, boolean>();
  for (const c of snapshot.containers)
    skip.set(imageKey(c), (skip.get(imageKey(c)) ?? false) || c.scanSkip === true);
  const counts = zeroCounts();
  const totals = { images: skip.size, scannedImages: 0, failedImages: 0, skippedImages: 0 };
  for (const [key, skipped] of skip) {
    if (skipped) {
      totals.skippedImages += 1;
      continue;
    }
    if (ownValue(scans, key)?.status === 'failed') totals.failedImages += 1;
    const summary = imageCounts(scans, key);
    if (!summary) continue;
    totals.scannedImages += 1;
    for (const s of SEVERITIES) counts[s] += summary.counts[s];
  }
  return { counts: totals.scannedImages > 0 ? counts : null, ...totals };
}
