import { imageKey } from '../../pipeline/scan/schema.ts';
import type { HistoryEntry } from './history-data.ts';

type Counts = { critical: number; high: number; medium: number; low: number };

/** One snapshot on the trend chart and in the list. */
export interface HistoryPoint {
  id: string;
  takenAt: string;
  containers: number;
  hostsOk: number;
  hostsTotal: number;
  /** Findings over distinct scanned images; null when no image of the snapshot was scanned (a gap, never zero). */
  counts: Counts | null;
  scannedImages: number;
  failedImages: number;
  images: number;
}

/** Totals per archived snapshot, oldest first. */
export function buildHistoryPoints(entries: HistoryEntry[]): HistoryPoint[] {
  return entries.map(({ id, archive }) => {
    const keys = new Set(archive.containers.map((c) => imageKey(c)));
    let scanned = 0;
    let failed = 0;
    const counts: Counts = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const key of keys) {
      const record = archive.scans[key];
      if (record?.status === 'failed') failed += 1;
      if (record?.status !== 'scanned' || !record.summary) continue;
      scanned += 1;
      for (const s of ['critical', 'high', 'medium', 'low'] as const)
        counts[s] += record.summary.counts[s];
    }
    return {
      id,
      takenAt: archive.takenAt,
      containers: archive.containers.length,
      hostsOk: archive.hosts.filter((h) => h.ok).length,
      hostsTotal: archive.hosts.length,
      counts: scanned > 0 ? counts : null,
      scannedImages: scanned,
      failedImages: failed,
      images: keys.size,
    };
  });
}
