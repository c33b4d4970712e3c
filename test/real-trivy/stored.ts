// What a run stored, read straight from the data dir (db.json and the findings files), for the
// comparison with what the reports say a scan must find.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findingKey, type ExpectedFinding } from './expected.ts';

export interface StoredImage {
  status: string;
  os?: { family: string; name: string; eosl: boolean };
  error?: { code: string; message: string };
  trivyVersion?: string;
  findings?: ExpectedFinding[];
}

interface Record {
  status: string;
  os?: StoredImage['os'];
  error?: StoredImage['error'];
  trivyVersion?: string;
  report?: string;
}

/** Per container name: its image's scan record and, when scanned, its findings. */
export function readStored(dataDir: string): Map<string, StoredImage> {
  const db = JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')) as {
    snapshot: { containers: Array<{ name: string; imageId: string; image: string }> };
    scans: { [key: string]: Record };
  };
  const stored = new Map<string, StoredImage>();
  for (const c of db.snapshot.containers) {
    const record = db.scans[c.imageId || `ref:${c.image}`];
    if (!record) continue;
    stored.set(c.name, {
      status: record.status,
      ...(record.os && { os: record.os }),
      ...(record.error && { error: record.error }),
      ...(record.trivyVersion && { trivyVersion: record.trivyVersion }),
      ...(record.report && { findings: readFindings(dataDir, record.report) }),
    });
  }
  return stored;
}

function readFindings(dataDir: string, file: string): ExpectedFinding[] {
  const text = readFileSync(path.join(dataDir, 'reports', file), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = JSON.parse(line) as ExpectedFinding & { [k: string]: unknown };
      return {
        id: f.id,
        pkg: f.pkg,
        installed: f.installed,
        ...(f.fixed && { fixed: f.fixed }),
        ...(f.status && { status: f.status }),
        severity: f.severity,
        ...(f.title && { title: f.title }),
        ...(f.cvss !== undefined && { cvss: f.cvss }),
        ...(f.cvssVersion && { cvssVersion: f.cvssVersion }),
        ...(f.pkgPath && { pkgPath: f.pkgPath }),
      };
    })
    .sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
}

/** Expected against found ids, per image, as a table row for the results file. */
export function compareRow(
  name: string,
  expected: ExpectedFinding[],
  found: ExpectedFinding[] | undefined,
) {
  const want = new Set(expected.map(findingKey));
  const have = new Set((found ?? []).map(findingKey));
  const missing = [...want].filter((k) => !have.has(k));
  const extra = [...have].filter((k) => !want.has(k));
  const ids = (list: ExpectedFinding[]) => new Set(list.map((f) => f.id)).size;
  return `| ${name} | ${expected.length} (${ids(expected)} ids) | ${found ? `${found.length} (${ids(found)} ids)` : 'none'} | ${missing.length} | ${extra.length} |`;
}
