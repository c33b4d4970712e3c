import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DockpeekError, describeError } from '../../errors.ts';
import { parseDb } from '../../store/read-db.ts';
import type { Db } from '../../store/schema.ts';
import { planHistoryPages, readFingerprints, type ReusePlan } from '../history-reuse.ts';
import { buildTrendChart } from './chart.ts';
import { createCveCollector } from './cves.ts';
import { createFindingsReader } from './findings-reader.ts';
import { createDigest, type ImageDigest } from './image-digest.ts';
import { createHistoryLoader, findFirstSeen, scanArchives } from './history.ts';
import { buildImagePages, placeImages } from './images.ts';
import { buildRows } from './rows.ts';
import { HistoryPageSchema, type HistoryPage } from './schema/history.ts';
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
  version: string;
}

/** What a build renders: the validated model, and snapshot pages built one at a time. */
export interface SiteInput {
  model: SiteModel;
  historyPage(id: string): Promise<HistoryPage>;
  /** Which snapshot pages to render and which to take from the published release. */
  pagePlan: ReusePlan;
}

/** Build and validate the site model from the store in `dataDir` (read-only). */
export async function buildSiteModel(options: ModelOptions): Promise<SiteInput> {
  const db = await readDb(options.dataDir);
  const snapshot = db.snapshot!;
  const reader = createFindingsReader(options.dataDir);
  const reasons = notScannedReasons(db);
  const images = imageStates(snapshot, db.scans, reasons);
  // Every finding streams past once: image pages keep their most important ones, the CVE pages
  // and the search index compact records. Nothing holds a whole report.
  const digests = new Map<string, ImageDigest>();
  const cves = createCveCollector();
  for (const { key } of images) {
    const record = db.scans[key];
    if (record?.status !== 'scanned' || !record.report) continue;
    const { digest, add } = createDigest();
    try {
      for await (const f of reader.stream(record.report)) {
        add(f);
        cves.add(f, key);
      }
      digests.set(key, digest);
    } catch {
      // Missing or damaged: the page says so ("missing"), and counts stay those of the record.
    }
  }
  const linkable = new Set(images.map((i) => i.key));
  const rows = buildRows({ snapshot, scans: db.scans, updates: db.updates, linkable, reasons });
  const refs = new Map(Object.entries(db.scans).map(([key, r]) => [key, r.ref]));
  const places = placeImages(snapshot, refs);
  const { points, entries } = await scanArchives(options.dataDir);
  const plan = await planHistoryPages(entries, linkable, reader.exists, {
    codeHash: options.codeHash,
    ...(options.previousRelease && { previousRelease: options.previousRelease }),
    previousFingerprints: options.previousRelease ? readFingerprints(options.previousRelease) : {},
  });
  const cvePages = cves.pages(places, await findFirstSeen(entries, reader, cves.ids()));
  const paged = new Set(cvePages.map((c) => c.id));
  const imagePages = buildImagePages(images, places, digests, (id) => paged.has(id));
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
    },
    scanRun: toScanRun(db),
    summary: buildSummary(snapshot, images, rows, (key) => digests.get(key)?.ids),
    table: buildTable(
      rows,
      snapshot.hosts.map((h) => h.name),
    ),
    updatePlans: buildUpdatePlans(rows),
    images: imagePages,
    cves: cvePages,
    search: cves.index(imagePages, paged),
    history: { points, chart: buildTrendChart(points), render: plan.render, reused: plan.reuse },
    vocabulary: VOCABULARY,
  } satisfies SiteModel);
  const loadPage = createHistoryLoader(entries, reader, linkable);
  return {
    model,
    historyPage: async (id) => HistoryPageSchema.parse(await loadPage(id)),
    pagePlan: plan,
  };
}

/** db.json as it is, validated; the build never rewrites or recovers it (the CLI did, under the lock). */
async function readDb(dataDir: string): Promise<Db & { snapshot: NonNullable<Db['snapshot']> }> {
  const file = path.join(dataDir, 'db.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DockpeekError('no_snapshot', `cannot read ${file}: ${describeError(error)}`);
  }
  const db = parseDb(text);
  if (!db.snapshot) throw new DockpeekError('no_snapshot', `there is no snapshot in ${file} yet`);
  return db as Db & { snapshot: NonNullable<Db['snapshot']> };
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
