import { ownValue } from '../../data-keys.ts';
import { imageKey } from '../../scan/schema.ts';
import type { ArchivedSnapshot } from '../../store/archive.ts';
import type { FindingKeyed } from '../../findings/reader.ts';
import type { SnapshotDiff } from './schema/history.ts';

/** Findings of a snapshot's image by key; undefined when that image has no scan data there. */
export type FindingsOf = (key: string) => FindingKeyed[] | undefined;

const keysMemo = new WeakMap<FindingKeyed[], Set<string>>();

/** The finding keys of a list, remembered per list (the reader hands the same list out again). */
function keysOf(findings: FindingKeyed[]): Set<string> {
  let keys = keysMemo.get(findings);
  if (!keys) keysMemo.set(findings, (keys = new Set(findings.map((f) => f.key))));
  return keys;
}

/**
 * What changed from `before` to `after`: containers, images, and CVEs per image reference. A
 * reference without scan data on a side is listed as unknown, never as "nothing changed".
 */
export function diffSnapshots(
  before: { archive: ArchivedSnapshot; findings: FindingsOf },
  after: { archive: ArchivedSnapshot; findings: FindingsOf },
): SnapshotDiff {
  const id = (c: { host: string; name: string }) => `${c.host}/${c.name}`;
  const old = new Map(before.archive.containers.map((c) => [id(c), c]));
  const now = new Map(after.archive.containers.map((c) => [id(c), c]));
  const short = (c: { image: string; imageId: string }) =>
    `${c.image} (${c.imageId.replace('sha256:', '').slice(0, 12)})`;
  const keyByRef = (archive: ArchivedSnapshot) =>
    new Map(archive.containers.map((c) => [c.image, imageKey(c)]));
  const oldRefs = keyByRef(before.archive);

  const cves: SnapshotDiff['cves'] = [];
  const unknown: SnapshotDiff['unknown'] = [];
  let compared = 0;
  for (const [ref, key] of [...keyByRef(after.archive)].sort(([a], [b]) => a.localeCompare(b))) {
    if (ownValue(after.archive.scans, key)?.status === 'skipped') continue;
    const oldKey = oldRefs.get(ref);
    const has = after.findings(key);
    // A reference new in this snapshot had nothing before: every finding of it is new.
    const had = oldKey ? before.findings(oldKey) : [];
    if (!has || !had) {
      unknown.push({ ref, side: !has && !had ? 'both' : !has ? 'after' : 'before' });
      continue;
    }
    compared += 1;
    const hadKeys = keysOf(had);
    const hasKeys = keysOf(has);
    const strip = ({ id, pkg, severity }: FindingKeyed) => ({ id, pkg, severity });
    const added = has.filter((f) => !hadKeys.has(f.key)).map(strip);
    const fixed = had.filter((f) => !hasKeys.has(f.key)).map(strip);
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
    previousAt: before.archive.takenAt,
    containersAdded: [...now.keys()].filter((k) => !old.has(k)).sort(),
    containersRemoved: [...old.keys()].filter((k) => !now.has(k)).sort(),
    imagesChanged: [...now]
      .filter(([name, c]) => old.has(name) && old.get(name)!.imageId !== c.imageId)
      .map(([name, c]) => ({ container: name, from: short(old.get(name)!), to: short(c) })),
    cves,
    compared,
    unknown,
  };
}
