import { readSnapshotStore } from '../../store/read-db.ts';
import type { Db } from '../../store/schema.ts';
import { planHistoryPages, type ReusePlan } from '../history-reuse.ts';
import { loadEpssScores } from '../../feeds/read-feeds.ts';
import { imageKey } from '../../scan/schema.ts';
import { buildTrendChart } from './chart.ts';
import { createCveCollector } from './cves.ts';
import { createFindingsReader } from '../../findings/reader.ts';
import { toFindingRow, type EpssOf } from './findings.ts';
import { buildFixFirst } from './fix-first.ts';
import { attentionOf, fixFirstContainers, hasCriticalFix } from './attention.ts';
import { createDigest, type ImageDigest } from './image-digest.ts';
import {
  findFirstSeen,
  loadSnapshotPages,
  scanArchives,
  type SnapshotPagesSource,
} from './history.ts';
import { buildImagePages, markImagePages, placeImages } from './images.ts';
import { maxEpss, withRisk } from './apply-risk.ts';
import { createAcceptedCollector } from './accepted-collector.ts';
import { judgedScans } from '../../findings/counts.ts';
import { vexImages } from '../../findings/judge.ts';
import { judgeImages } from '../../findings/judge-images.ts';
import { createArchiveJudge } from '../../findings/judged-archive.ts';
import { judgePoints } from './judged-points.ts';
import { loadRisk, type VexSource } from '../../findings/risk.ts';
import { buildRows } from './rows.ts';
import type { HistoryPage } from './schema/history.ts';
import { SiteModelSchema, VOCABULARY, type ScanRun, type SiteModel } from './schema/site.ts';
import type { NotScannedReasons } from './security.ts';
import { buildSummary, imageStates } from './summary.ts';
import { buildTable } from './table.ts';
import { buildUpdatePlans } from './update-plans.ts';

export interface ModelOptions {
  dataDir: string;
  /** The build's clock: relative times and staleness are told against it. */
  now: Date;
  staleAfterMs: number;
  resultTtlMs: number;
  /** Hash of the rendering code, for snapshot-page reuse. */
  codeHash: string;
  /** The release now published, whose unchanged snapshot pages can be reused. */
  previousRelease?: string;
  /** The snapshot-page fingerprints it recorded (history-reuse.ts readFingerprints). */
  previousFingerprints?: Record<string, string>;
  version: string;
  /** Accepted-risk rules (DOCKPEEK_VEX); none: nothing is accepted. */
  vex?: VexSource;
  /** EPSS percentile (0..1) from which a finding is listed under "Fix first". */
  fixFirstPercentile?: number;
}

/** What a build renders: the validated model, and snapshot pages built one at a time. */
export interface SiteInput {
  model: SiteModel;
  historyPage(id: string): Promise<HistoryPage>;
  /** Which snapshot pages to render and which to take from the published release. */
  pagePlan: ReusePlan;
  /** What building snapshot pages reads (plain data: a worker builds them too, loadSnapshotPages). */
  snapshotPages: SnapshotPagesSource;
  /** Problems the build found in its inputs (rejected rules documents): the run is degraded. */
  problems: string[];
}

/** Build and validate the site model from the store in `dataDir` (read-only). */
export async function buildSiteModel(options: ModelOptions): Promise<SiteInput> {
  const { data: db } = await readSnapshotStore(options.dataDir);
  const snapshot = db.snapshot!;
  const reader = createFindingsReader(options.dataDir);
  const reasons = notScannedReasons(db);
  const risk = await loadRisk(options.dataDir, options.vex, options.now);
  const judgedImages = vexImages(snapshot, db.scans);
  // Every finding streams past once, judged by the findings core: image pages keep their most
  // important ones, the CVE pages and the search index compact records, the tallies the counts
  // after acceptance. Nothing holds a whole report.
  const digests = new Map<string, ReturnType<typeof createDigest>>();
  const cves = createCveCollector();
  const accepted = createAcceptedCollector();
  const tallies = await judgeImages(
    judgedImages,
    db.scans,
    reader,
    risk,
    (key, image, f, judged) => {
      if (judged.accepted) {
        cves.accept(f.id);
        return accepted.accept(key, image.reference, f, judged.accepted);
      }
      if (f.expired) accepted.expire(key, image.reference, f);
      if (!digests.has(key)) digests.set(key, createDigest());
      digests.get(key)!.add(f);
      cves.add(f, key);
    },
  );
  // A findings file that broke part-way has no tally: its page says "missing", as before.
  const digestOf = new Map<string, ImageDigest>();
  for (const key of tallies.keys())
    digestOf.set(key, digests.get(key)?.digest ?? createDigest().digest);
  const scans = judgedScans(db.scans, tallies);
  const images = imageStates(snapshot, scans, reasons).map((i) => ({
    ...i,
    security: withRisk(i.security, tallies.get(i.key), risk.hasKev),
  }));
  const linkable = new Set(images.map((i) => i.key));
  const epss = await loadEpssScores(options.dataDir, cves.ids());
  const epssOf: EpssOf = (id) => {
    const score = epss?.scores.get(id);
    return score && { score: score.epss, percentile: score.percentile };
  };
  // Rows come in snapshot order: row i is container i.
  const rows = buildRows({ snapshot, scans, updates: db.updates, linkable, reasons }).map(
    (row, i) => {
      const key = imageKey(snapshot.containers[i]!);
      const ids = digestOf.get(key)?.ids;
      return {
        ...row,
        security: withRisk(row.security, tallies.get(key), risk.hasKev),
        kev: (tallies.get(key)?.kev ?? 0) > 0,
        epss: ids ? maxEpss(ids, epssOf) : null,
      };
    },
  );
  const refs = new Map(Object.entries(db.scans).map(([key, r]) => [key, r.ref]));
  const places = placeImages(snapshot, refs);
  const archived = await scanArchives(options.dataDir);
  const entries = archived.entries;
  const points = risk.hasRules
    ? await judgePoints(archived.points, entries, createArchiveJudge(reader, risk))
    : archived.points;
  const plan = await planHistoryPages(entries, linkable, reader.exists, {
    codeHash: options.codeHash,
    ...(options.previousRelease && { previousRelease: options.previousRelease }),
    previousFingerprints: options.previousFingerprints ?? {},
  });
  const cvePages = cves.pages(places, await findFirstSeen(entries, reader, cves.ids())).map((c) => {
    const mark = epssOf(c.id);
    return mark ? { ...c, epss: mark } : c;
  });
  const paged = new Set(cvePages.map((c) => c.id));
  const isPaged = (id: string) => paged.has(id);
  const acceptedLists = accepted.finish(isPaged, (f) => toFindingRow(f, isPaged, epssOf));
  const imagePages = buildImagePages(images, places, digestOf, isPaged, epssOf, acceptedLists.rows);
  const rules = risk.rules();
  const fixFirst = buildFixFirst(cvePages, options.fixFirstPercentile ?? 0.95);
  const onList = new Set(fixFirst.all.map((item) => item.id));
  const feedsKnown = {
    kev: risk.feeds.kev.fetchedAt !== null,
    epss: risk.feeds.epss.fetchedAt !== null,
  };
  const onFixFirst = fixFirstContainers(fixFirst);
  const ranked = rows.map((row, i) => {
    const digest = digestOf.get(imageKey(snapshot.containers[i]!));
    return { ...row, attention: attentionOf(row, onFixFirst, hasCriticalFix(digest)) };
  });
  const scanTimes = images
    .flatMap((i) => (i.security.state === 'scanned' ? [i.security.scannedAt] : []))
    .sort();
  const model = SiteModelSchema.parse({
    version: options.version,
    freshness: {
      snapshotAt: snapshot.takenAt,
      scans: scanTimes.length ? { oldest: scanTimes[0]!, newest: scanTimes.at(-1)! } : null,
      builtAt: options.now.toISOString(),
      staleAfterMs: options.staleAfterMs,
      resultTtlMs: options.resultTtlMs,
      feeds: risk.feeds,
    },
    scanRun: toScanRun(db),
    summary: buildSummary(snapshot, images, rows, (key) => digestOf.get(key)?.ids, {
      kevKnown: risk.hasKev,
      accepted: acceptedLists.totals.accepted,
      expired: acceptedLists.totals.expired,
      staleRules: rules.stale.length,
      rejectedDocuments: rules.rejected.length,
    }),
    table: buildTable(
      ranked,
      snapshot.hosts.map((h) => h.name),
    ),
    updatePlans: buildUpdatePlans(rows),
    images: markImagePages(imagePages, onList, feedsKnown),
    cves: cvePages.map((c) => (onList.has(c.id) ? { ...c, fixFirst: true as const } : c)),
    search: cves.index(imagePages, paged),
    fixFirst,
    risk: {
      configured: Boolean(options.vex?.paths.length),
      rules: rules.total,
      files: rules.files,
      rejected: rules.rejected,
      stale: rules.stale,
      accepted: acceptedLists.accepted,
      acceptedTotal: acceptedLists.totals.accepted,
      expired: acceptedLists.expired,
      expiredTotal: acceptedLists.totals.expired,
      acceptedOnlyCves: cves.acceptedOnly(),
    },
    history: { points, chart: buildTrendChart(points), render: plan.render, reused: plan.reuse },
    vocabulary: VOCABULARY,
  } satisfies SiteModel);
  const snapshotPages: SnapshotPagesSource = {
    dataDir: options.dataDir,
    entries,
    linkable: [...linkable],
    ...(risk.hasRules &&
      options.vex && { judging: { vex: options.vex, now: options.now.toISOString() } }),
  };
  return {
    model,
    historyPage: loadSnapshotPages(snapshotPages, reader),
    pagePlan: plan,
    snapshotPages,
    problems: rules.rejected.map(
      (r) =>
        `accepted-risk document ${r.file}${r.line ? ` line ${r.line}` : ''} rejected (${r.code}): ${r.message}; its rules do not apply`,
    ),
  };
}

/** The last scan run; a store from before 1.2 has scan records but no run record. */
function toScanRun(db: Db): ScanRun {
  if (db.scanRun) return db.scanRun;
  const times = Object.values(db.scans)
    .map((r) => r.updatedAt)
    .sort();
  return times.length ? { state: 'ran', at: times.at(-1)! } : { state: 'never' };
}

/** Why an image without a scan record is not scanned, from what the last scan run could do. */
function notScannedReasons(db: Db): NotScannedReasons {
  const run = toScanRun(db);
  if (run.state === 'unavailable') return { missing: `no scan could run (${run.message})` };
  if (run.state === 'never') return { missing: 'no scan has run yet' };
  return { missing: 'the image is new since the last scan' };
}
