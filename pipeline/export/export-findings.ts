import { ownValue } from '../data-keys.ts';
import { loadEpssScores } from '../feeds/read-feeds.ts';
import { imageKey } from '../scan/schema.ts';
import { reportsDir, streamFindings } from '../scan/reports.ts';
import { loadRisk, type VexSource } from '../findings/risk.ts';
import type { StoreData } from '../store/read-db.ts';
import { vexImages } from '../findings/judge.ts';

/** One finding of one image, as `export --findings` prints it (docs/export.md#findings). */
export interface ExportedFinding {
  image: string;
  imageId: string;
  /** host/name of every container running the image. */
  containers: string[];
  id: string;
  severity: string;
  pkg: string;
  installed: string;
  fixed: string | null;
  /** In CISA's KEV catalogue; null when no catalogue is stored. */
  kev: boolean | null;
  kevDateAdded: string | null;
  kevDueDate: string | null;
  /** FIRST's EPSS probability and percentile; null when no feed is stored or it is not scored. */
  epss: number | null;
  percentile: number | null;
  /** accepted: a rule of DOCKPEEK_VEX accepts it now; expired: one did until `until`. */
  acceptance: 'accepted' | 'expired' | null;
  until: string | null;
}

/**
 * Every finding of every scanned image of the current snapshot, one at a time: findings files are
 * streamed twice (the CVE ids first, to read only their EPSS scores), never held whole.
 */
export async function* exportFindings(
  dataDir: string,
  data: StoreData['data'],
  vex: VexSource,
  now: Date,
  /** Filled with the images whose findings file is missing or damaged. */
  unreadable: string[] = [],
): AsyncGenerator<ExportedFinding> {
  const snapshot = data.snapshot!;
  const dir = reportsDir(dataDir);
  const images = vexImages(snapshot, data.scans);
  const reports = [...images].flatMap(([key, image]) => {
    const record = ownValue(data.scans, key);
    return record?.status === 'scanned' && record.report
      ? [{ key, image, report: record.report }]
      : [];
  });
  const ids = new Set<string>();
  const readable = [];
  for (const entry of reports) {
    try {
      for await (const f of streamFindings(dir, entry.report)) ids.add(f.id);
      readable.push(entry);
    } catch {
      // Missing or damaged: its findings are unknown, and not printed (the caller warns).
      unreadable.push(entry.image.reference);
    }
  }
  const [risk, epss] = await Promise.all([
    loadRisk(dataDir, vex, now),
    loadEpssScores(dataDir, ids),
  ]);
  const containers = new Map<string, string[]>();
  for (const c of snapshot.containers) {
    const key = imageKey(c);
    containers.set(key, [...(containers.get(key) ?? []), `${c.host}/${c.name}`]);
  }
  for (const { key, image, report } of readable) {
    for await (const f of streamFindings(dir, report)) {
      const judged = risk.judge(image, f);
      const score = epss?.scores.get(f.id);
      yield {
        image: image.reference,
        imageId: image.imageId ?? '',
        containers: containers.get(key) ?? [],
        id: f.id,
        severity: f.severity,
        pkg: f.pkg,
        installed: f.installed,
        fixed: f.fixed ?? null,
        kev: risk.hasKev ? Boolean(judged.kev) : null,
        kevDateAdded: judged.kev?.dateAdded ?? null,
        kevDueDate: judged.kev?.dueDate ?? null,
        epss: score?.epss ?? null,
        percentile: score?.percentile ?? null,
        acceptance: judged.accepted ? 'accepted' : judged.expired ? 'expired' : null,
        until: judged.accepted?.expiresAt ?? judged.expired?.expiredAt ?? null,
      };
    }
  }
}
