import { stat } from 'node:fs/promises';
import path from 'node:path';
import { resolveDataDir } from '../../pipeline/config/settings.ts';
import { readReport, reportsDir } from '../../pipeline/scan/reports.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import { listArchives, readArchive, type ArchivedSnapshot } from '../../pipeline/store/archive.ts';

/** One archived snapshot as the history pages use it. */
export interface HistoryEntry {
  /** File-name-safe id, also the page name. */
  id: string;
  archive: ArchivedSnapshot;
  /** Findings per image key, for scanned images whose findings file still exists. */
  findings: Map<string, Finding[]>;
  /** Size and modification time of the archive file: changes when the file does. */
  fileStamp: string;
}

let cached: Promise<HistoryEntry[]> | undefined;

/** Every readable archive, oldest first, read once per build. */
export function loadHistory(): Promise<HistoryEntry[]> {
  cached ??= readHistory(resolveDataDir(undefined, process.env));
  return cached;
}

/** Read the archives of `dataDir`; damaged ones are skipped (the archive reader validates). */
export async function readHistory(dataDir: string): Promise<HistoryEntry[]> {
  const reports = new Map<string, Promise<Finding[] | null>>();
  const readOnce = (name: string) => {
    if (!reports.has(name)) reports.set(name, readReport(reportsDir(dataDir), name));
    return reports.get(name)!;
  };
  const entries: HistoryEntry[] = [];
  for (const file of await listArchives(dataDir)) {
    const archive = await readArchive(file);
    if (!archive) continue;
    const findings = new Map<string, Finding[]>();
    for (const [key, record] of Object.entries(archive.scans)) {
      if (record.status !== 'scanned' || !record.report) continue;
      const list = await readOnce(record.report);
      if (list) findings.set(key, list);
    }
    const { size, mtimeMs } = await stat(file);
    entries.push({
      id: path.basename(file, '.json'),
      archive,
      findings,
      fileStamp: `${size}:${mtimeMs}`,
    });
  }
  return entries;
}
