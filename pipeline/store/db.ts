import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { DockpeekError } from '../errors.ts';
import { makeDataDir, readDbFile } from './read-db.ts';
import { recoverDb, type Recovery } from './recover-db.ts';
import { emptyDb, type Db } from './schema.ts';
import { writeDbFile } from './write-db.ts';

export interface Store {
  db: Low<Db>;
  file: string;
  dataDir: string;
  recovery?: Recovery;
}

/** lowdb adapter: reads through the one validated reader (read-db.ts), writes atomically. */
class ValidatedJsonFile implements Adapter<Db> {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }
  read(): Promise<Db | null> {
    return readDbFile(this.file);
  }
  write(data: Db): Promise<void> {
    return writeDbFile(this.file, data);
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
    const { data, recovery } = await recoverDb(dataDir, file, error.message);
    db.data = data;
    return { db, file, dataDir, recovery };
  }
}
