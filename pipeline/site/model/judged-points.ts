import { snapshotCounts } from '../../findings/counts.ts';
import type { ArchiveJudge } from '../../findings/judged-archive.ts';
import { readArchive } from '../../store/archive.ts';
import { BADGE_SEVERITIES, severityPick } from '../../vocabulary.ts';
import type { ArchiveEntry } from './history.ts';
import type { HistoryPoint } from './schema/history.ts';

/**
 * The trend's points counted as the home page counts: after the build's accepted-risk rules.
 * Archive summaries hold the scanner's counts (made when archived, before any rule); when a rule
 * applies, each archive is read once and its images judged (findings files shared between
 * snapshots are read once, archive-judge.ts). An archive that became unreadable keeps its point.
 */
export async function judgePoints(
  points: HistoryPoint[],
  entries: ArchiveEntry[],
  judge: ArchiveJudge,
): Promise<HistoryPoint[]> {
  const files = new Map(entries.map((e) => [e.id, e.file]));
  const judged: HistoryPoint[] = [];
  for (const point of points) {
    const archive = await readArchive(files.get(point.id)!);
    if (!archive) {
      judged.push(point);
      continue;
    }
    const totals = snapshotCounts(archive, await judge(archive, archive.scans));
    const counts = totals.counts;
    judged.push({ ...point, counts: counts && severityPick(BADGE_SEVERITIES, counts) });
  }
  return judged;
}
