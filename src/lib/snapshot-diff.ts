import { imageKey } from '../../pipeline/scan/schema.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import type { HistoryEntry } from './history-data.ts';

/** CVEs that appeared or went away for one image reference between two snapshots. */
export interface ImageCveDiff {
  ref: string;
  /** The reference is new in this snapshot: every finding counts as new. */
  newImage: boolean;
  /** The image id behind the reference changed (an update was pulled). */
  idChanged: boolean;
  added: Finding[];
  fixed: Finding[];
}

export interface SnapshotDiff {
  /** "host/name" */
  containersAdded: string[];
  containersRemoved: string[];
  imagesChanged: Array<{ container: string; from: string; to: string }>;
  cves: ImageCveDiff[];
  /** References whose scan is missing on either side, so no CVE diff can be told. */
  unknown: string[];
}

const findingKey = (f: Finding) => `${f.id}\u0000${f.pkg}\u0000${f.installed}`;

/** What changed from `before` to `after`: containers, images, and CVEs per image reference. */
export function diffSnapshots(before: HistoryEntry, after: HistoryEntry): SnapshotDiff {
  const id = (c: { host: string; name: string }) => `${c.host}/${c.name}`;
  const old = new Map(before.archive.containers.map((c) => [id(c), c]));
  const now = new Map(after.archive.containers.map((c) => [id(c), c]));
  const short = (c: { image: string; imageId: string }) =>
    `${c.image} (${c.imageId.replace('sha256:', '').slice(0, 12)})`;

  const imagesChanged = [...now]
    .filter(([name, c]) => old.has(name) && old.get(name)!.imageId !== c.imageId)
    .map(([name, c]) => ({ container: name, from: short(old.get(name)!), to: short(c) }));

  const keyByRef = (entry: HistoryEntry) =>
    new Map(entry.archive.containers.map((c) => [c.image, imageKey(c)]));
  const oldRefs = keyByRef(before);
  const cves: ImageCveDiff[] = [];
  const unknown: string[] = [];
  for (const [ref, key] of [...keyByRef(after)].sort(([a], [b]) => a.localeCompare(b))) {
    const now = after.findings.get(key);
    const oldKey = oldRefs.get(ref);
    const was = oldKey ? before.findings.get(oldKey) : [];
    if (!now || !was) {
      if (after.archive.scans[key]?.status !== 'skipped') unknown.push(ref);
      continue;
    }
    const had = new Set(was.map(findingKey));
    const has = new Set(now.map(findingKey));
    const added = now.filter((f) => !had.has(findingKey(f)));
    const fixed = was.filter((f) => !has.has(findingKey(f)));
    if (added.length || fixed.length)
      cves.push({
        ref,
        newImage: !oldKey,
        idChanged: Boolean(oldKey && oldKey !== key),
        added,
        fixed,
      });
  }
  return {
    containersAdded: [...now.keys()].filter((k) => !old.has(k)).sort(),
    containersRemoved: [...old.keys()].filter((k) => !now.has(k)).sort(),
    imagesChanged,
    cves,
    unknown,
  };
}
