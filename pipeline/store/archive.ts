import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { createDataRecord } from '../data-keys.ts';
import { dataRecord } from '../data-record-schema.ts';
import { ScanRecordSchema, type ScanRecord } from '../scan/schema.ts';
import { SnapshotSchema, type Snapshot } from '../snapshot/schema.ts';
import { UpdateRecordSchema, type UpdateRecord } from '../updates/schema.ts';
import { writeFileAtomic } from './atomic-write.ts';

const PREFIX = 'snapshot-';

/** One archived snapshot: the containers as they were, with the scan state of their images then. */
export const ArchivedSnapshotSchema = SnapshotSchema.extend({
  /** Scan records by image key at archive time (findings stay in data/reports/). */
  scans: dataRecord(ScanRecordSchema).prefault({}),
  /** Update records by image reference at archive time; absent in archives before 1.2. */
  updates: dataRecord(UpdateRecordSchema).optional(),
});
export type ArchivedSnapshot = z.infer<typeof ArchivedSnapshotSchema>;

/** Folder of archived snapshots under the data dir. */
export function archiveDir(dataDir: string): string {
  return path.join(dataDir, 'archive');
}

/**
 * Archive one snapshot as its own file, named so that names sort by time, with the scan and
 * update state of its images at this moment. Archiving the same snapshot again (after a scan or
 * an update check) replaces its file. Returns the path.
 */
export async function archiveSnapshot(
  dataDir: string,
  snapshot: Snapshot,
  scans: Record<string, ScanRecord> = {},
  updates: Record<string, UpdateRecord> = {},
): Promise<string> {
  return writeArchive(dataDir, toArchived(snapshot, scans, updates));
}

/** Write one archived snapshot (see archiveSnapshot); returns the path. */
export async function writeArchive(dataDir: string, archived: ArchivedSnapshot): Promise<string> {
  const dir = archiveDir(dataDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${PREFIX}${archived.takenAt.replace(/[:.]/g, '-')}.json`);
  await writeFileAtomic(file, `${JSON.stringify(archived)}\n`);
  return file;
}

/** What archiveSnapshot writes: the snapshot, and the update records of its images only. */
export function toArchived(
  snapshot: Snapshot,
  scans: Record<string, ScanRecord> = {},
  updates: Record<string, UpdateRecord> = {},
): ArchivedSnapshot {
  const refs = new Set(snapshot.containers.map((c) => c.image));
  return {
    ...snapshot,
    scans,
    updates: createDataRecord(Object.entries(updates).filter(([ref]) => refs.has(ref))),
  };
}

/** Archived snapshot files, oldest first. */
export async function listArchives(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(archiveDir(dataDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(PREFIX) && n.endsWith('.json'))
    .sort()
    .map((n) => path.join(archiveDir(dataDir), n));
}

/** Read and validate one archived snapshot; null when it is unreadable or invalid. */
export async function readArchive(file: string): Promise<ArchivedSnapshot | null> {
  try {
    const parsed = ArchivedSnapshotSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The newest archived snapshot that validates, skipping damaged ones. */
export async function readNewestArchive(
  dataDir: string,
): Promise<{ file: string; snapshot: ArchivedSnapshot } | null> {
  const files = await listArchives(dataDir);
  for (const file of files.reverse()) {
    const snapshot = await readArchive(file);
    if (snapshot) return { file, snapshot };
  }
  return null;
}
