import { mkdir, readdir, rm } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ownValue } from '../data-keys.ts';
import { imageKey } from '../scan/schema.ts';
import { snapshotCounts } from '../scan/snapshot-counts.ts';
import { BADGE_SEVERITIES, severityPick } from '../vocabulary.ts';
import {
  listArchives,
  readArchive,
  toArchived,
  writeArchive,
  type archiveSnapshot,
  type ArchivedSnapshot,
} from './archive.ts';
import { writeFileAtomic } from './atomic-write.ts';

// A year of history is 365 archives of a whole fleet each: reading them all for every build (the
// trend, page planning) or every retention pass costs seconds and grows with history. Each
// archive gets a small summary beside it, written when it is archived, trusted while the archive
// file's size and time are those it was made from.

const count = z.number().int().nonnegative();

/** What builds and retention need of one archived snapshot. */
export const ArchiveSummarySchema = z.object({
  version: z.literal(1),
  /** Size and modification time of the archive file it was made from. */
  stamp: z.string(),
  takenAt: z.string(),
  containers: count,
  hostsOk: count,
  hostsTotal: count,
  /** Findings over the scanned images; null when no image was scanned. */
  counts: z.record(z.enum(BADGE_SEVERITIES), count).nullable(),
  images: count,
  scannedImages: count,
  failedImages: count,
  /** Image keys of the snapshot, sorted. */
  keys: z.array(z.string()),
  /** Findings files of the images it shows. */
  reports: z.array(z.string()),
  /** Every findings file its scan records name (what retention must keep). */
  referenced: z.array(z.string()),
});
export type ArchiveSummary = z.infer<typeof ArchiveSummarySchema>;

/** The folder of summaries (hidden inside archive/, so it is never taken for an archive). */
function summaryFile(archiveFile: string): string {
  return path.join(path.dirname(archiveFile), '.index', path.basename(archiveFile));
}

/** Summarise one archived snapshot. */
export function summarizeArchive(archive: ArchivedSnapshot, stamp: string): ArchiveSummary {
  const keys = [...new Set(archive.containers.map((c) => imageKey(c)))].sort();
  // Counted as every reader counts (findings/counts.ts); the scanner's view, before any rule.
  const totals = snapshotCounts(archive, archive.scans);
  const counts = totals.counts;
  const reports: string[] = [];
  for (const key of keys) {
    const record = ownValue(archive.scans, key);
    if (record?.status === 'scanned' && record.summary && record.report)
      reports.push(record.report);
  }
  return {
    version: 1,
    stamp,
    takenAt: archive.takenAt,
    containers: archive.containers.length,
    hostsOk: archive.hosts.filter((h) => h.ok).length,
    hostsTotal: archive.hosts.length,
    counts: counts && severityPick(BADGE_SEVERITIES, counts),
    images: keys.length,
    scannedImages: totals.scannedImages,
    failedImages: totals.failedImages,
    keys,
    reports,
    referenced: [
      ...new Set(Object.values(archive.scans).flatMap((r) => (r.report ? [r.report] : []))),
    ].sort(),
  };
}

function stampOf(file: string): string | undefined {
  const s = statSync(file, { throwIfNoEntry: false });
  return s && `${s.size}:${s.mtimeMs}`;
}

/**
 * Archive a snapshot (archiveSnapshot) and write its summary, made from what was written rather
 * than read back from the file; returns the archive file.
 */
export async function archiveWithSummary(
  ...args: Parameters<typeof archiveSnapshot>
): Promise<string> {
  const [dataDir, snapshot, scans, updates] = args;
  const archived = toArchived(snapshot, scans, updates);
  const file = await writeArchive(dataDir, archived);
  await writeArchiveSummary(file, archived);
  return file;
}

/** Write the summary of an archive file just written. */
export async function writeArchiveSummary(file: string, archive: ArchivedSnapshot): Promise<void> {
  const stamp = stampOf(file);
  if (!stamp) return;
  await mkdir(path.dirname(summaryFile(file)), { recursive: true });
  await writeFileAtomic(summaryFile(file), JSON.stringify(summarizeArchive(archive, stamp)));
}

/**
 * The summary of one archive file: the stored one while it matches the file, else made from the
 * archive (null when the archive is unreadable). Reads nothing else and writes nothing.
 */
export async function readArchiveSummary(file: string): Promise<ArchiveSummary | null> {
  const stamp = stampOf(file);
  if (!stamp) return null;
  try {
    // Synchronous: a build reads 365 of these small files one after another, ~10× faster so.
    const stored = ArchiveSummarySchema.safeParse(
      JSON.parse(readFileSync(summaryFile(file), 'utf8')),
    );
    if (stored.success && stored.data.stamp === stamp) return stored.data;
  } catch {
    // none yet, or damaged: made from the archive below
  }
  const archive = await readArchive(file);
  return archive && summarizeArchive(archive, stamp);
}

/** The newest archives, whose summary is always checked against them. */
const RECHECKED = 2;

/**
 * Give every archive without a current summary one: archives from before 1.2, a run killed
 * between an archive and its summary, a data dir copied without its files' times. Every archive
 * stage runs this, so it is cheap when nothing is wrong: the summaries of the newest two archives
 * (the only ones a killed run can leave stale) are checked against them, the others only by
 * name. When one of the two is stale, every summary is checked (a copied data dir leaves them all
 * so): ~40 ms for a year of archives, where checking them all on every run cost each `snapshot`
 * ~100 ms.
 */
export async function backfillSummaries(dataDir: string): Promise<number> {
  const files = await listArchives(dataDir);
  if (files.length === 0) return 0;
  const summarized = new Set(
    await readdir(path.dirname(summaryFile(files[0]!))).catch(() => [] as string[]),
  );
  const has = (file: string) => summarized.has(path.basename(file));
  const newest = files.slice(-RECHECKED);
  const checkAll = newest.some((file) => has(file) && !summaryMatches(file));
  let written = 0;
  for (const file of files) {
    const check = checkAll || newest.includes(file);
    if (has(file) && (!check || summaryMatches(file))) continue;
    const archive = await readArchive(file);
    if (!archive) continue;
    await writeArchiveSummary(file, archive);
    written += 1;
  }
  return written;
}

/** Whether an archive's stored summary was made from the archive file as it is now. */
function summaryMatches(file: string): boolean {
  try {
    return readFileSync(summaryFile(file), 'utf8').includes(`"stamp":"${stampOf(file)}"`);
  } catch {
    return false;
  }
}

/** Remove the summary of an archive file being pruned. */
export function removeArchiveSummary(file: string): Promise<void> {
  return rm(summaryFile(file), { force: true });
}
