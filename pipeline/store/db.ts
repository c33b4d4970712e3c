import { rename } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { createDataRecord } from '../data-keys.ts';
import { DockpeekError, createError, describeError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readNewestArchive } from './archive.ts';
import { makeDataDir, readDbFile, type Recovery } from './read-db.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { DbSchema, emptyDb, type Db } from './schema.ts';

export interface Store {
  db: Low<Db>;
  file: string;
  dataDir: string;
  recovery?: Recovery;
}

/** lowdb adapter: validated reads, atomic fsynced writes. */
class ValidatedJsonFile implements Adapter<Db> {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }
  read(): Promise<Db | null> {
    return readDbFile(this.file);
  }
  async write(data: Db): Promise<void> {
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(DbSchema.parse(data), null, 2)}\n`);
    } catch (error) {
      const args = { file: this.file, reason: describeError(error) };
      throw createError(STORE_ERRORS.dbUnwritable, args, { cause: error });
    }
  }
}

/**
 * Open $DOCKPEEK_DATA_DIR/db.json. A corrupt file is moved aside, never overwritten, and the
 * newest valid archived snapshot takes its place.
 */
export async function openStore(dataDir: string): Promise<Store> {
  await makeDataDir(dataDir);
  const file = path.join(dataDir, 'db.json');
  const db = new Low<Db>(new ValidatedJsonFile(file), emptyDb());
  try {
    await db.read();
    return { db, file, dataDir };
  } catch (error) {
    if (!(error instanceof DockpeekError && error.code === 'db_corrupt')) throw error;
    const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, movedTo);
    const archived = await readNewestArchive(dataDir);
    const { scans = createDataRecord<ScanRecord>(), ...snapshot } = archived?.snapshot ?? {};
    db.data = { ...emptyDb(), snapshot: archived ? (snapshot as Snapshot) : null, scans };
    await db.write();
    const recovery: Recovery = {
      reason: error.message,
      movedTo,
      ...(archived && { restoredFrom: archived.file }),
    };
    return { db, file, dataDir, recovery };
  }
}
