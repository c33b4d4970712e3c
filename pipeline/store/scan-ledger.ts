import type { ScanLedger } from '../scan/ledger.ts';
import type { Store } from './db.ts';

/** The scan stage's ledger over the lowdb store: changes go to `db.data`, save is `db.write()`. */
export function createScanLedger(store: Store): ScanLedger {
  // db.data is read at each call, never kept: what save() writes is what lowdb holds.
  const { db } = store;
  return {
    file: store.file,
    dataDir: store.dataDir,
    snapshot: () => db.data.snapshot,
    scans: () => db.data.scans,
    putScan: (key, record) => {
      db.data.scans[key] = record;
    },
    dropScan: (key) => {
      delete db.data.scans[key];
    },
    recordRun: (run) => {
      db.data.scanRun = run;
    },
    save: () => db.write(),
  };
}
