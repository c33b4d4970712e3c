import { z } from 'zod';
import { createDataRecord } from '../data-keys.ts';
import { dataRecord } from '../data-record-schema.ts';
import { ScanRecordSchema, ScanRunRecordSchema } from '../scan/schema.ts';
import { SnapshotSchema } from '../snapshot/schema.ts';
import { UpdateRecordSchema } from '../updates/schema.ts';

export const DB_SCHEMA_VERSION = 1;

/** The whole of db.json. */
export const DbSchema = z.object({
  /** Bumped when the layout changes incompatibly. */
  schemaVersion: z.literal(DB_SCHEMA_VERSION),
  /** The newest snapshot, or null before the first run. */
  snapshot: SnapshotSchema.nullable(),
  /** Scan state per image id (full findings live in data/reports/). */
  scans: dataRecord(ScanRecordSchema).prefault({}),
  /** Update state per image reference. */
  updates: dataRecord(UpdateRecordSchema).prefault({}),
  /** What the last scan run could do; absent until a scan has run. */
  scanRun: ScanRunRecordSchema.optional(),
});
export type Db = z.infer<typeof DbSchema>;

/** A fresh database. */
export function emptyDb(): Db {
  return {
    schemaVersion: DB_SCHEMA_VERSION,
    snapshot: null,
    scans: createDataRecord(),
    updates: createDataRecord(),
  };
}
