import path from 'node:path';
import { ownValue } from '../../data-keys.ts';
import { listArchives, readArchive, type ArchivedSnapshot } from '../../store/archive.ts';
import { readArchiveSummary } from '../../store/archive-index.ts';
import { diffSnapshots, type FindingsOf } from './diff.ts';
import { createArchiveJudge, type ArchiveJudge } from '../../findings/judged-archive.ts';
import { createFindingsReader, idsBySeverity, type FindingsReader } from '../../findings/reader.ts';
import { loadRisk, type VexSource } from '../../findings/risk.ts';
import { buildRows } from './rows.ts';
import { HistoryPageSchema, type HistoryPage, type HistoryPoint } from './schema/history.ts';
import { buildSummary, imageStates } from './summary.ts';
import { buildTable } from './table.ts';

/** What the build keeps of each archived snapshot: enough to plan pages, never the snapshot. */
export interface ArchiveEntry {
  id: string;
  takenAt: string;
  file: string;
  /** Size and modification time of the archive file: changes when the file does. */
  fileStamp: string;
  /** Image keys of the snapshot (for page links) and findings files its scans name. */
  keys: string[];
  reports: string[];
}

/**
 * One pass over the archives' summaries (each made when it was archived; an archive without one
 * is read): a point for the trend and an entry for page planning per snapshot. Memory grows with
 * the number of snapshots, not with their size.
 */
export async function scanArchives(
  dataDir: string,
): Promise<{ points: HistoryPoint[]; entries: ArchiveEntry[] }> {
  const points: HistoryPoint[] = [];
  const entries: ArchiveEntry[] = [];
  for (const file of await listArchives(dataDir)) {
    const summary = await readArchiveSummary(file);
    if (!summary) continue;
    const id = path.basename(file, '.json');
    const { stamp, keys, reports, takenAt, version: _, referenced: __, ...point } = summary;
    entries.push({ id, takenAt, file, fileStamp: stamp, keys, reports });
    points.push({ id, takenAt, ...point });
  }
  return { points, entries };
}

/**
 * When each of `ids` first appears in the archived history (oldest snapshot first). Reads each
 * findings file the archives name once at most (content-addressed files repeat), and stops when
 * every id is found.
 */
export async function findFirstSeen(
  entries: ArchiveEntry[],
  reader: FindingsReader,
  ids: Set<string>,
): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const read = new Set<string>();
  for (const entry of entries) {
    for (const report of entry.reports) {
      if (read.has(report)) continue;
      read.add(report);
      for (const f of (await reader.keyed(report)) ?? [])
        if (ids.has(f.id) && !seen.has(f.id)) seen.set(f.id, entry.takenAt);
    }
    if (seen.size === ids.size) break;
  }
  return seen;
}

/** Snapshots kept read: the pages rendering at once (RENDER_CONCURRENCY) and their "before"s. */
const KEPT_SNAPSHOTS = 3;

/**
 * Builds one snapshot page when the page renders. Pages render in order, a few at once, so the
 * snapshots read for them are kept for the next pages (their "before"), and nothing else.
 */
export function createHistoryLoader(
  entries: ArchiveEntry[],
  reader: FindingsReader,
  linkable: Set<string>,
  judge?: ArchiveJudge,
) {
  type Loaded = {
    id: string;
    archive: ArchivedSnapshot;
    scans: ArchivedSnapshot['scans'];
    findings: FindingsOf;
  };
  const kept = new Map<string, Promise<Loaded>>();
  const load = (entry: ArchiveEntry): Promise<Loaded> => {
    let loaded = kept.get(entry.id);
    if (!loaded) {
      loaded = read(entry);
      kept.set(entry.id, loaded);
      if (kept.size > KEPT_SNAPSHOTS) kept.delete(kept.keys().next().value!);
    }
    return loaded;
  };
  const read = async (entry: ArchiveEntry): Promise<Loaded> => {
    const archive = await readArchive(entry.file);
    if (!archive) throw new Error(`archive ${entry.file} became unreadable during the build`);
    const keyed = new Map<string, Awaited<ReturnType<FindingsReader['keyed']>>>();
    for (const key of entry.keys) {
      const record = ownValue(archive.scans, key);
      if (record?.status === 'scanned' && record.report)
        keyed.set(key, await reader.keyed(record.report));
    }
    const findings: FindingsOf = (key) => keyed.get(key) ?? undefined;
    // Counted as the home page counts: after the accepted-risk rules of this build.
    const scans = judge ? await judge(archive, archive.scans) : archive.scans;
    return { id: entry.id, archive, scans, findings };
  };
  return async (id: string): Promise<HistoryPage> => {
    const at = entries.findIndex((e) => e.id === id);
    if (at < 0) throw new Error(`no archived snapshot ${id}`);
    const previous = at > 0 ? await load(entries[at - 1]!) : undefined;
    const current = await load(entries[at]!);
    const { archive, scans, findings } = current;
    const reasons = { missing: 'it was not scanned when this snapshot was archived' };
    const rows = buildRows({
      snapshot: archive,
      scans,
      updates: archive.updates,
      linkable,
      reasons,
    });
    const images = imageStates(archive, scans, reasons);
    const cveIds = (key: string) => {
      const list = findings(key);
      return list ? idsBySeverity(list) : undefined;
    };
    return {
      id,
      takenAt: archive.takenAt,
      diff: previous ? diffSnapshots(previous, current) : null,
      summary: buildSummary(archive, images, rows, cveIds),
      table: buildTable(
        rows,
        archive.hosts.map((h) => h.name),
      ),
      updatesRecorded: archive.updates !== undefined,
    };
  };
}

/** What snapshot pages are built from: the archives' entries and the images that have pages. */
export interface SnapshotPagesSource {
  dataDir: string;
  entries: ArchiveEntry[];
  linkable: string[];
  /** The build's accepted-risk rules and clock, when any rule applies (counts are judged). */
  judging?: { vex: VexSource; now: string };
}

/** Builds and validates snapshot pages, one at a time (`reader`: the build's, whose cache is warm). */
export function loadSnapshotPages(
  source: SnapshotPagesSource,
  reader: FindingsReader = createFindingsReader(source.dataDir),
): (id: string) => Promise<HistoryPage> {
  // Made once, on the first page: pages render a few at once.
  let loader: Promise<ReturnType<typeof createHistoryLoader>> | undefined;
  return async (id) => {
    loader ??= (async () =>
      createHistoryLoader(
        source.entries,
        reader,
        new Set(source.linkable),
        source.judging && (await judgeWith(reader, source.dataDir, source.judging)),
      ))();
    return HistoryPageSchema.parse(await (await loader)(id));
  };
}

async function judgeWith(
  reader: FindingsReader,
  dataDir: string,
  judging: NonNullable<SnapshotPagesSource['judging']>,
): Promise<ArchiveJudge> {
  const risk = await loadRisk(dataDir, judging.vex, new Date(judging.now));
  return createArchiveJudge(reader, risk);
}
