import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DockpeekError, createError, describeError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { DbSchema, emptyDb, type Db } from './schema.ts';

// Reading db.json without lowdb: what openStore (db.ts) reads through, and all a command that
// never writes the store needs (export), so those load neither lowdb nor the archive code.

/** What happened when db.json could not be read. */
export interface Recovery {
  /** Why the file was rejected. */
  reason: string;
  /** Where the rejected file now is. */
  movedTo: string;
  /** The archive the snapshot was restored from, if any. */
  restoredFrom?: string;
}

/** The store's content as a reader sees it. */
export interface StoreData {
  data: Db;
  file: string;
  recovery?: Recovery;
}

/** Create the data dir if needed; the error says which variable or flag to change. */
export async function makeDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    const args = { dataDir, reason: describeError(error) };
    throw createError(STORE_ERRORS.dataDirUncreatable, args, { cause: error });
  }
}

/** Read and validate db.json; null when there is none yet. Throws db_corrupt saying why. */
export async function readDbFile(file: string): Promise<Db | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const args = { file, reason: describeError(error) };
    throw createError(STORE_ERRORS.dbUnreadable, args, { cause: error });
  }
  return parseDb(text);
}

/** Parse and validate db.json text; throws a db_corrupt error that says what is wrong. */
export function parseDb(text: string): Db {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw createError(STORE_ERRORS.dbNotJson, { reason: describeError(error) }, { cause: error });
  }
  const parsed = DbSchema.safeParse(json);
  if (!parsed.success) {
    const issues = z.prettifyError(parsed.error).replace(/\n/g, ' ');
    throw createError(STORE_ERRORS.dbSchemaMismatch, { issues });
  }
  return parsed.data;
}

/**
 * The store's content for a command that only reads it. A corrupt db.json goes through
 * openStore's recovery (moved aside, the newest archive restored), loaded only then.
 */
export async function readStoreData(dataDir: string): Promise<StoreData> {
  await makeDataDir(dataDir);
  const file = path.join(dataDir, 'db.json');
  try {
    return { data: (await readDbFile(file)) ?? emptyDb(), file };
  } catch (error) {
    if (!(error instanceof DockpeekError && error.code === 'db_corrupt')) throw error;
    const { openStore } = await import('./db.ts');
    const store = await openStore(dataDir);
    return {
      data: store.db.data,
      file: store.file,
      ...(store.recovery && { recovery: store.recovery }),
    };
  }
}
