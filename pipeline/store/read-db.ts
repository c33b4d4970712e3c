import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DockpeekError, createError, describeError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import type { Recovery } from './recover-db.ts';
import { requireSnapshot } from './require-snapshot.ts';
import { DbSchema, emptyDb, type Db } from './schema.ts';

// The one reader of db.json: every path that reads its text goes through readDbText and
// parseDb, lowdb's adapter (db.ts) included. Readers that never write (export, the site build,
// VEX checks) load neither lowdb nor the archive code.

/** The store's content as a reader sees it. */
export interface StoreData {
  data: Db;
  file: string;
  recovery?: Recovery;
}

/** A store that holds a snapshot. */
export type SnapshotDb = Db & { snapshot: Snapshot };

/** Create the data dir if needed; the error says which variable or flag to change. */
export async function makeDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    const args = { dataDir, reason: describeError(error) };
    throw createError(STORE_ERRORS.dataDirUncreatable, args, { cause: error });
  }
}

/** db.json's text, or the error that kept it from being read (ENOENT included). */
async function readDbText(file: string): Promise<{ text: string } | { error: unknown }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    return { error };
  }
}

/** Read and validate db.json; null when there is none yet. Throws db_corrupt saying why. */
export async function readDbFile(file: string): Promise<Db | null> {
  const read = await readDbText(file);
  if ('text' in read) return parseDb(read.text);
  if ((read.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  const args = { file, reason: describeError(read.error) };
  throw createError(STORE_ERRORS.dbUnreadable, args, { cause: read.error });
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
 * db.json as it is, validated, for a reader that never writes (the site build, VEX checks): it
 * is neither locked, nor created, nor recovered. Throws no_snapshot when the file cannot be read
 * or holds no snapshot, db_corrupt when it does not validate.
 */
export async function readSnapshotStore(
  dataDir: string,
): Promise<{ file: string; data: SnapshotDb }> {
  const file = path.join(dataDir, 'db.json');
  const read = await readDbText(file);
  if ('error' in read) {
    const args = { file, reason: describeError(read.error) };
    throw createError(STORE_ERRORS.noSnapshotUnreadable, args, { cause: read.error });
  }
  const data = parseDb(read.text);
  return { file, data: { ...data, snapshot: requireSnapshot(data, file) } };
}

/**
 * The store's content for a command that only reads it (export). A corrupt db.json is recovered
 * as openStore does (moved aside, the newest archive restored).
 */
export async function readStoreData(dataDir: string): Promise<StoreData> {
  await makeDataDir(dataDir);
  const file = path.join(dataDir, 'db.json');
  try {
    return { data: (await readDbFile(file)) ?? emptyDb(), file };
  } catch (error) {
    if (!(error instanceof DockpeekError && error.code === 'db_corrupt')) throw error;
    // Loaded for a corrupt file only, so that a healthy export loads no archive code.
    const { recoverDb } = await import('./recover-db.ts');
    return { file, ...(await recoverDb(dataDir, file, error.message)) };
  }
}
