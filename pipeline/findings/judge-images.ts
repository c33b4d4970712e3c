import { ownValue } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { VexImage } from '../vex/match-image.ts';
import { createTally, markFinding, type MarkedFinding, type Tally } from './judge.ts';
import type { FindingsReader } from './reader.ts';
import type { FindingRisk, Risk } from './risk.ts';

/** What a reader sees of each judged finding as it streams past (site pages, CVE index). */
export type FindingVisitor = (
  key: string,
  image: VexImage,
  finding: MarkedFinding,
  judged: FindingRisk,
) => void;

/**
 * The one pass over the findings of a snapshot's scanned images: each finding judged against KEV
 * and the accepted-risk rules, tallied per image key, and shown to `visit`. An image whose
 * findings file is missing or damaged gets no tally: its counts stay those of its scan record, and
 * readers say so. Nothing holds a whole report.
 */
export async function judgeImages(
  images: Map<string, VexImage>,
  scans: Record<string, ScanRecord>,
  reader: FindingsReader,
  risk: Pick<Risk, 'judge'>,
  visit?: FindingVisitor,
): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  for (const [key, image] of images) {
    const record = ownValue(scans, key);
    if (record?.status !== 'scanned' || !record.report) continue;
    const tally = await tallyReport(reader, risk, image, record.report, (f, judged) =>
      visit?.(key, image, f, judged),
    );
    if (tally) tallies.set(key, tally);
  }
  return tallies;
}

/**
 * One image's findings file, judged finding by finding and tallied; null when it is missing or
 * damaged (no tally, so nothing pretends to know its judged counts).
 */
export async function tallyReport(
  reader: FindingsReader,
  risk: Pick<Risk, 'judge'>,
  image: VexImage,
  report: string,
  visit?: (finding: MarkedFinding, judged: FindingRisk) => void,
): Promise<Tally | null> {
  const tally = createTally();
  try {
    for await (const found of reader.stream(report)) {
      const judged = risk.judge(image, found);
      const f = markFinding(found, judged);
      if (judged.accepted) tally.accept();
      else tally.count(f);
      visit?.(f, judged);
    }
    return tally.result();
  } catch {
    return null;
  }
}
