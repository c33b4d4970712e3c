import { ownValue } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import type { VexImage } from '../vex/match-image.ts';
import { judgedScans } from './counts.ts';
import { tallyReport } from './judge-images.ts';
import { vexImages, type Tally } from './judge.ts';
import type { FindingsReader } from './reader.ts';
import type { Risk } from './risk.ts';

/**
 * Judges the images of any snapshot (the current one or an archived one) with the build's rules,
 * remembering each image's tally by its identity and findings file: a year of snapshots that share
 * their findings files reads each file once for its judged counts. Only tallies are kept.
 */
export function createArchiveJudge(reader: FindingsReader, risk: Pick<Risk, 'judge'>) {
  const memo = new Map<string, Promise<Tally | null>>();
  const tallyOf = (image: VexImage, report: string): Promise<Tally | null> => {
    const id = JSON.stringify([report, image.reference, image.imageId, image.repoDigests]);
    let tally = memo.get(id);
    if (!tally) {
      tally = tallyReport(reader, risk, image, report);
      memo.set(id, tally);
    }
    return tally;
  };
  /** The snapshot's scan records with judged counts (an unreadable file keeps its record's). */
  return async (
    snapshot: Pick<Snapshot, 'containers'>,
    scans: Record<string, ScanRecord>,
  ): Promise<Record<string, ScanRecord>> => {
    const tallies = new Map<string, Tally>();
    for (const [key, image] of vexImages(snapshot, scans)) {
      const record = ownValue(scans, key);
      if (record?.status !== 'scanned' || !record.report) continue;
      const tally = await tallyOf(image, record.report);
      if (tally) tallies.set(key, tally);
    }
    return judgedScans(scans, tallies);
  };
}
export type ArchiveJudge = ReturnType<typeof createArchiveJudge>;
