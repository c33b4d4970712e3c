import type { Snapshot } from '../snapshot/schema.ts';
import type { ScanRecord, ScanRunRecord } from './schema.ts';

/**
 * What the scan stage reads from and records in the store, and nothing else: the stage never
 * sees how the store is kept. Changes stay in memory until `save()`.
 */
export interface ScanLedger {
  /** The store's file, named in messages. */
  readonly file: string;
  /** The data dir: reports and the pids of running trivy processes live under it. */
  readonly dataDir: string;
  /** The snapshot whose images are scanned; null before the first snapshot. */
  snapshot(): Snapshot | null;
  /** Scan records by image key, as recorded so far (prior runs' and this run's). */
  scans(): Readonly<Record<string, ScanRecord>>;
  /** Record one image's state: a result, a failure, skipped or pending. */
  putScan(key: string, record: ScanRecord): void;
  /** Forget one image's record (stale, or pending from a killed run). */
  dropScan(key: string): void;
  /** Record what the scan run could do. */
  recordRun(run: ScanRunRecord): void;
  /** Write everything recorded so far, atomically (readers see the old or the new store). */
  save(): Promise<void>;
}
