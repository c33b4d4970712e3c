import { stat } from 'node:fs/promises';
import path from 'node:path';
import { reportsDir, streamFindings } from '../scan/reports.ts';
import type { Finding } from '../scan/trivy-report.ts';
import type { Severity } from '../vocabulary.ts';

/** A finding's identity across snapshots, and what a diff shows of it. */
export interface FindingKeyed {
  key: string;
  id: string;
  pkg: string;
  severity: Severity;
}

/**
 * Reads findings files for a build, remembering the most recently used ones (content-addressed
 * files repeat across snapshots), so a year of history reads each file about once while memory
 * stays bounded by `capacity` files.
 */
export function createFindingsReader(dataDir: string, capacity = 96) {
  const dir = reportsDir(dataDir);
  const keyed = new Map<string, FindingKeyed[] | null>();
  const present = new Map<string, boolean>();
  const remember = <V>(cache: Map<string, V>, name: string, value: V) => {
    cache.delete(name);
    cache.set(name, value);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
  };
  return {
    /** The data dir whose findings files it reads (judging needs its feeds too). */
    dataDir,
    /** Every finding of one file, one at a time; throws when it is missing or damaged. */
    stream: (name: string): AsyncIterable<Finding> => streamFindings(dir, name),
    /** The compact identity of each finding, for diffs and unique-CVE counts. */
    async keyed(name: string): Promise<FindingKeyed[] | null> {
      if (keyed.has(name)) {
        const hit = keyed.get(name)!;
        remember(keyed, name, hit);
        return hit;
      }
      // Streamed: a 200 MB report is never held whole, only the identities of its findings.
      let value: FindingKeyed[] | null = [];
      try {
        for await (const f of streamFindings(dir, name)) value.push(toKeyed(f));
      } catch {
        value = null;
      }
      remember(keyed, name, value);
      return value;
    },
    /** Whether the file exists (for page fingerprints), without reading it. */
    async exists(name: string): Promise<boolean> {
      if (!present.has(name)) {
        const found = await stat(path.join(dir, name)).then(
          () => true,
          () => false,
        );
        remember(present, name, found);
      }
      return present.get(name)!;
    },
  };
}
export type FindingsReader = ReturnType<typeof createFindingsReader>;

/** A finding's identity across snapshots: the same CVE in the same package and version. */
export function toKeyed(f: Finding): FindingKeyed {
  return {
    key: `${f.id}\u0000${f.pkg}\u0000${f.installed}`,
    id: f.id,
    pkg: f.pkg,
    severity: f.severity,
  };
}

const idsMemo = new WeakMap<object, Map<string, Set<string>>>();

/**
 * CVE ids by severity, for unique counts. Remembered per list: the reader hands out the same list
 * for a findings file each snapshot page names again, so a year of pages counts each once.
 */
export function idsBySeverity(findings: ReadonlyArray<{ id: string; severity: string }>) {
  const known = idsMemo.get(findings);
  if (known) return known;
  const ids = new Map<string, Set<string>>();
  for (const f of findings) {
    if (!ids.has(f.severity)) ids.set(f.severity, new Set());
    ids.get(f.severity)!.add(f.id);
  }
  idsMemo.set(findings, ids);
  return ids;
}
