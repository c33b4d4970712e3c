import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SnapshotSchema, type Snapshot } from '../snapshot/schema.ts';
import { writeFileAtomic } from './atomic-write.ts';

const PREFIX = 'snapshot-';

/** Folder of archived snapshots under the data dir. */
export function archiveDir(dataDir: string): string {
  return path.join(dataDir, 'archive');
}

/** Archive one snapshot as its own file, named so that names sort by time. Returns the path. */
export async function archiveSnapshot(dataDir: string, snapshot: Snapshot): Promise<string> {
  const dir = archiveDir(dataDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${PREFIX}${snapshot.takenAt.replace(/[:.]/g, '-')}.json`);
  await writeFileAtomic(file, `${JSON.stringify(snapshot)}\n`);
  return file;
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
export async function readArchive(file: string): Promise<Snapshot | null> {
  try {
    const parsed = SnapshotSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The newest archived snapshot that validates, skipping damaged ones. */
export async function readNewestArchive(
  dataDir: string,
): Promise<{ file: string; snapshot: Snapshot } | null> {
  const files = await listArchives(dataDir);
  for (const file of files.reverse()) {
    const snapshot = await readArchive(file);
    if (snapshot) return { file, snapshot };
  }
  return null;
}
