import { resolveDataDir } from '../../pipeline/config/settings.ts';
import { readReport, reportsDir } from '../../pipeline/scan/reports.ts';
import type { ScanRecord } from '../../pipeline/scan/schema.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import type { Snapshot } from '../../pipeline/snapshot/schema.ts';
import type { UpdateRecord } from '../../pipeline/updates/schema.ts';
import { openStore } from '../../pipeline/store/db.ts';

/** Everything the site renders, read once per build. */
export interface SiteData {
  snapshot: Snapshot;
  scans: Record<string, ScanRecord>;
  /** Update state per image reference. */
  updates: Record<string, UpdateRecord>;
  /** Findings per image key, for scanned images whose report file is readable. */
  findings: Map<string, Finding[]>;
  builtAt: string;
}

let cached: Promise<SiteData> | undefined;

/** Load the store from $DOCKPEEK_DATA_DIR once; every page shares the result. */
export function loadSiteData(): Promise<SiteData> {
  cached ??= readSiteData(resolveDataDir(undefined, process.env));
  return cached;
}

/** Read the store in `dataDir` into what pages render. */
export async function readSiteData(dataDir: string): Promise<SiteData> {
  const store = await openStore(dataDir);
  const snapshot = store.db.data.snapshot ?? {
    takenAt: new Date(0).toISOString(),
    hosts: [],
    containers: [],
  };
  const scans = store.db.data.scans;
  const findings = new Map<string, Finding[]>();
  await Promise.all(
    Object.entries(scans).map(async ([key, record]) => {
      if (record.status !== 'scanned' || !record.report) return;
      const list = await readReport(reportsDir(dataDir), record.report);
      if (list) findings.set(key, list);
    }),
  );
  return {
    snapshot,
    scans,
    updates: store.db.data.updates,
    findings,
    builtAt: new Date().toISOString(),
  };
}
