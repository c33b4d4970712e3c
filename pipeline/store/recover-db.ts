import { rename } from 'node:fs/promises';
import { createDataRecord } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { readNewestArchive } from './archive.ts';
import { emptyDb, type Db } from './schema.ts';
import { writeDbFile } from './write-db.ts';

/** What happened when db.json could not be read. */
export interface Recovery {
  /** Why the file was rejected. */
  reason: string;
  /** Where the rejected file now is. */
  movedTo: string;
  /** The archive the snapshot was restored from, if any. */
  restoredFrom?: string;
}

/**
 * Replace a corrupt db.json: move it aside (never overwrite it), and write in its place the
 * newest valid archived snapshot with its scan records, or an empty store when there is none.
 */
export async function recoverDb(
  dataDir: string,
  file: string,
  reason: string,
): Promise<{ data: Db; recovery: Recovery }> {
  const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, movedTo);
  const archived = await readNewestArchive(dataDir);
  const { scans = createDataRecord<ScanRecord>(), ...snapshot } = archived?.snapshot ?? {};
  const data: Db = { ...emptyDb(), snapshot: archived ? (snapshot as Snapshot) : null, scans };
  await writeDbFile(file, data);
  return { data, recovery: { reason, movedTo, ...(archived && { restoredFrom: archived.file }) } };
}
