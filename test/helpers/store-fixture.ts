import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { DbSchema, type Db } from '../../pipeline/store/schema.ts';

export const DEMO_NOW = new Date('2026-11-25T12:00:00Z');

/** The demo homelab in a fresh data dir, with `days` of archived history. */
export async function demoStore(days = 0): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-store-'));
  await createDemoData(dataDir, DEMO_NOW, 44, days);
  return dataDir;
}

/** Rewrite db.json of a data dir through `change`. */
export function editDb(dataDir: string, change: (db: Db) => void): void {
  const file = path.join(dataDir, 'db.json');
  const db = DbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  change(db);
  writeFileSync(file, JSON.stringify(DbSchema.parse(db)));
}
