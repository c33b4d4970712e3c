import { archiveWithSummary, backfillSummaries } from '../store/archive-index.ts';
import type { Store } from '../store/db.ts';
import type { RetentionPolicy } from '../store/retention.ts';
import type { Reporter } from '../reporter.ts';

/**
 * Archive the current snapshot with the scan and update state of its images now (again after a
 * scan or an update check: the same file is replaced), then apply the retention policy.
 */
export async function runArchiveStage(
  store: Store,
  out: Reporter,
  retention?: RetentionPolicy,
): Promise<void> {
  const { snapshot, scans, updates } = store.db.data;
  if (!snapshot) return;
  const file = await archiveWithSummary(store.dataDir, snapshot, scans, updates);
  // Archives from before 1.2 get their summary once, here, under the run lock.
  await backfillSummaries(store.dataDir);
  if (!retention) {
    out.info(`archive: snapshot archived as ${file}`);
    return;
  }
  // Only refresh prunes: snapshot, scan and updates never load the retention code.
  const { pruneArchives } = await import('../store/retention.ts');
  const pruned = await pruneArchives(store.dataDir, store.db.data, retention);
  out.info(
    `archive: snapshot archived; ${pruned.archives} old snapshot(s) and ${pruned.reports} unused findings file(s) pruned`,
  );
}
