import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { z } from 'zod';
import { DockpeekError, describeError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readNewestArchive } from './archive.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { DbSchema, emptyDb, type Db } from './schema.ts';

/** What happened when db.json could not be read. */
export interface Recovery {
  /** Why the file was rejected. */
  reason: string;
  /** Where the rejected file now is. */
  movedTo: string;
  /** The archive the snapshot was restored from, if any. */
  restoredFrom?: string;
}

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
  async read(): Promise<Db | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new DockpeekError('db_unwritable', `cannot read ${this.file}: ${describeError(error)}`);
    }
    return parseDb(text);
  }
  async write(data: Db): Promise<void> {
    try {
      await writeFileAtomic(this.file, `${JSON.stringify(DbSchema.parse(data), null, 2)}\n`);
    } catch (error) {
      throw new DockpeekError(
        'db_unwritable',
        `cannot write ${this.file}: ${describeError(error)}`,
        'The previous db.json is unchanged. Free disk space or fix permissions, then run again.',
      );
    }
  }
}

/** Parse and validate db.json text; throws a db_corrupt error that says what is wrong. */
export function parseDb(text: string): Db {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DockpeekError('db_corrupt', `not valid JSON (${describeError(error)})`);
  }
  const parsed = DbSchema.safeParse(json);
  if (!parsed.success) {
    throw new DockpeekError(
      'db_corrupt',
      `does not match the schema: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  }
  return parsed.data;
}

/**
 * Open $DOCKPEEK_DATA_DIR/db.json. A corrupt file is moved aside, never overwritten, and the
 * newest valid archived snapshot takes its place.
 */
export async function openStore(dataDir: string): Promise<Store> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new DockpeekError(
      'db_unwritable',
      `cannot create the data directory ${dataDir}: ${describeError(error)}`,
      'Set DOCKPEEK_DATA_DIR (or --data-dir) to a writable folder.',
    );
  }
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
    const { scans = {}, ...snapshot } = archived?.snapshot ?? {};
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
