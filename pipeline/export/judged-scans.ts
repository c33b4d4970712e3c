import { judgedScans } from '../findings/counts.ts';
import { vexImages } from '../findings/judge.ts';
import { judgeImages } from '../findings/judge-images.ts';
import { createFindingsReader } from '../findings/reader.ts';
import { loadRisk, type VexSource } from '../findings/risk.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Snapshot } from '../snapshot/schema.ts';

/**
 * The scan records of the current snapshot judged as the dashboard judges them (the findings
 * core's one pass): what `export` prints as counts. Without rules nothing is read: the judged
 * counts are the scanner's.
 */
export async function judgeForExport(
  dataDir: string,
  snapshot: Snapshot,
  scans: Record<string, ScanRecord>,
  vex: VexSource,
  now: Date,
): Promise<Record<string, ScanRecord>> {
  const risk = await loadRisk(dataDir, vex, now);
  if (!risk.hasRules) return scans;
  const reader = createFindingsReader(dataDir);
  return judgedScans(scans, await judgeImages(vexImages(snapshot, scans), scans, reader, risk));
}
