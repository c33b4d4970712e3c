import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { BADGE_SEVERITIES, SEVERITIES, type Severity } from '../../pipeline/vocabulary.ts';
import { runCli } from './cli.ts';

// The readers of the same judged findings, each read the way a user or a script reads it (HTML,
// JSON, text), never from the model: the home page, the History row of the newest snapshot, the
// CVE index, `export`, `export --findings` and `notify --dry-run`.

export type Counts = Record<Severity, number>;

/** Where a built site and its store are, and the environment the CLI readers run with. */
export interface Readers {
  dataDir: string;
  site: string;
  env: Record<string, string>;
}

const zero = (): Counts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Counts;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The home page's severity cards (the badge severities). */
export function homeCounts(r: Readers): Partial<Counts> {
  const html = readFileSync(path.join(r.site, 'index.html'), 'utf8');
  const out: Partial<Counts> = {};
  for (const m of html.matchAll(
    /data-severity="(\w+)"[\s\S]*?<div class="big"[^>]*>([^<]*)<\/div>/g,
  ))
    out[m[1] as Severity] = Number(m[2]);
  return out;
}

/** The newest row of the History page. */
export function newestHistoryRow(r: Readers): Partial<Counts> {
  const html = readFileSync(path.join(r.site, 'history.html'), 'utf8');
  const row = /<tr data-row[^>]*>([\s\S]*?)<\/tr>/.exec(html)![1]!;
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]!));
  // Taken, containers, hosts, then one column per badge severity.
  return Object.fromEntries(BADGE_SEVERITIES.map((s, i) => [s, Number(cells[3 + i])]));
}

interface Exported {
  containers: Array<{
    image: string;
    imageId: string;
    security: { status: string; counts: Counts; raw: { counts: Counts } };
  }>;
}

/** `export`: judged and raw counts over the distinct scanned images, and per image reference. */
export async function exportedCounts(
  r: Readers,
): Promise<{ judged: Counts; raw: Counts; byImage: Map<string, Counts> }> {
  const result = await runCli(['export'], r.env);
  expect(result.exitCode, result.stderr).toBe(0);
  const data = JSON.parse(result.stdout) as Exported;
  const judged = zero();
  const raw = zero();
  const byImage = new Map<string, Counts>();
  const seen = new Set<string>();
  for (const c of data.containers) {
    const key = c.imageId || c.image;
    if (c.security.status !== 'scanned' || seen.has(key)) continue;
    seen.add(key);
    byImage.set(c.image, c.security.counts);
    for (const s of SEVERITIES) {
      judged[s] += c.security.counts[s];
      raw[s] += c.security.raw.counts[s];
    }
  }
  return { judged, raw, byImage };
}

/** What `export --findings` says: counts by severity and per id, accepted findings set apart. */
export interface ExportedFindings {
  /** The findings no rule accepts, by severity. */
  counts: Counts;
  /** Their distinct ids. */
  ids: Set<string>;
  accepted: number;
  /** Per id: the containers (host/name) running an image with a finding of it no rule accepts. */
  containersById: Map<string, Set<string>>;
  /** Per id: the findings of it a rule accepts. */
  acceptedById: Map<string, number>;
}

/** `export --findings`: the findings no rule accepts, by severity, and their distinct ids. */
export async function exportedFindings(r: Readers): Promise<ExportedFindings> {
  const result = await runCli(['export', '--findings'], r.env);
  expect(result.exitCode, result.stderr).toBe(0);
  const counts = zero();
  const ids = new Set<string>();
  const containersById = new Map<string, Set<string>>();
  const acceptedById = new Map<string, number>();
  let accepted = 0;
  for (const line of result.stdout.trim().split('\n').filter(Boolean)) {
    const f = JSON.parse(line) as {
      id: string;
      severity: Severity;
      acceptance: string | null;
      containers: string[];
    };
    if (f.acceptance === 'accepted') {
      accepted += 1;
      acceptedById.set(f.id, (acceptedById.get(f.id) ?? 0) + 1);
      continue;
    }
    counts[f.severity] += 1;
    ids.add(f.id);
    if (!containersById.has(f.id)) containersById.set(f.id, new Set());
    for (const c of f.containers) containersById.get(f.id)!.add(c);
  }
  return { counts, ids, accepted, containersById, acceptedById };
}

/** The CVE index's rows (one per id). */
export function cveIndexIds(r: Readers): Set<string> {
  return new Set(cveIndexRows(r).keys());
}

/** The CVE index's rows by id: the containers it counts, the accepted findings it marks. */
export function cveIndexRows(
  r: Readers,
): Map<string, { containers: number; accepted: number; slug: string }> {
  const html = readFileSync(path.join(r.site, 'cves.html'), 'utf8');
  const rows = new Map<string, { containers: number; accepted: number; slug: string }>();
  for (const m of html.matchAll(/<tr data-row data-sort-name="([^"]+)"([^>]*)>([\s\S]*?)<\/tr>/g)) {
    const containers = Number(/data-sort-containers="(\d+)"/.exec(m[2]!)![1]);
    const accepted = Number(/>(\d+) accepted</.exec(m[3]!)?.[1] ?? 0);
    const slug = /href="cves\/([^"]+)\.html"/.exec(m[3]!)![1]!;
    rows.set(m[1]!, { containers, accepted, slug });
  }
  return rows;
}

/** The containers (host/name) a CVE page lists under its affected images. */
export function cvePageContainers(r: Readers, slug: string): Set<string> {
  const html = readFileSync(path.join(r.site, 'cves', `${slug}.html`), 'utf8');
  return new Set([...html.matchAll(/data-container="([^"]+)"/g)].map((m) => m[1]!));
}

/**
 * `notify --dry-run` after a baseline whose state forgot `refs`: their findings are all "new", and
 * each message says how many of each severity ("1 critical, 6 high … new").
 */
export async function notifiedCounts(
  r: Readers,
  refs: string[],
): Promise<Map<string, Partial<Counts>>> {
  const env = {
    ...r.env,
    DOCKPEEK_NOTIFY_URLS: 'json://127.0.0.1:9/unused',
    DOCKPEEK_NOTIFY_SEVERITY: 'low',
  };
  const baseline = await runCli(['notify'], env);
  expect(baseline.exitCode, baseline.stderr).toBe(0);
  const file = path.join(r.dataDir, 'notify-state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  for (const host of Object.values(state.observation.images) as Array<Record<string, unknown>>)
    for (const ref of refs) delete host[ref];
  writeFileSync(file, JSON.stringify(state));
  const result = await runCli(['notify', '--dry-run'], env);
  expect(result.exitCode, result.stderr).toBe(0);
  const out = new Map<string, Partial<Counts>>();
  for (const m of result.stdout.matchAll(/── New findings in (\S+) .*\n(.*) new\n/g)) {
    const counts: Partial<Counts> = {};
    for (const part of m[2]!.matchAll(/(\d+) (\w+)/g))
      counts[part[2] as Severity] = Number(part[1]);
    out.set(m[1]!, counts);
  }
  return out;
}

/**
 * Read every reader, print one table of counts with a column per reader, and check that they
 * agree; `notifyRefs` (at most four: a dry run shows four messages) are compared per image.
 */
export async function expectReadersAgree(r: Readers, notifyRefs: string[]): Promise<void> {
  const [exp, findings] = await Promise.all([exportedCounts(r), exportedFindings(r)]);
  const home = homeCounts(r);
  const history = newestHistoryRow(r);
  console.log('judged findings per severity, by reader:');
  console.table(
    SEVERITIES.map((s) => ({
      severity: s,
      home: home[s] ?? '—',
      history: history[s] ?? '—',
      export: exp.judged[s],
      'export --findings': findings.counts[s],
      'raw (scanner)': exp.raw[s],
    })),
  );
  const ids = { cves: cveIndexIds(r).size, findings: findings.ids.size };
  console.log(`distinct CVE ids: CVE index ${ids.cves}, export --findings ${ids.findings}`);
  for (const s of BADGE_SEVERITIES) {
    expect(home[s], `home ${s}`).toBe(exp.judged[s]);
    expect(history[s], `history ${s}`).toBe(exp.judged[s]);
  }
  expect(findings.counts).toEqual(exp.judged);
  expect(ids.cves).toBe(ids.findings);
  expectCvesAgree(r, findings);
  // The accepted findings are the difference between the judged and the scanner's view.
  const total = (c: Counts) => SEVERITIES.reduce((n, s) => n + c[s], 0);
  expect(total(exp.raw) - total(exp.judged)).toBeGreaterThan(0);
  expect(findings.accepted).toBe(total(exp.raw) - total(exp.judged));

  const messages = await notifiedCounts(r, notifyRefs);
  const rows = notifyRefs.map((ref) => ({
    ref,
    export: exp.byImage.get(ref)!,
    notify: messages.get(ref),
  }));
  console.log('notify --dry-run against export, per image (notify / export):');
  console.table(
    rows.map((row) => ({
      ref: row.ref,
      ...Object.fromEntries(
        BADGE_SEVERITIES.map((s) => [s, `${row.notify?.[s] ?? 0} / ${row.export[s]}`]),
      ),
    })),
  );
  // An image whose findings are all accepted or unknown-severity sends no message: 0 everywhere.
  for (const row of rows)
    for (const s of BADGE_SEVERITIES)
      expect(row.notify?.[s] ?? 0, `${row.ref} ${s}`).toBe(row.export[s]);
}

/**
 * The CVE index and the CVE pages against `export --findings`, id by id: the containers each
 * counts or lists are those running an image with a finding of it that no rule accepts, and the
 * "N accepted" mark counts the findings of it a rule accepts.
 */
function expectCvesAgree(r: Readers, findings: ExportedFindings): void {
  const rows = cveIndexRows(r);
  let compared = 0;
  for (const [id, row] of rows) {
    expect(row.containers, `${id}: containers on the CVE index`).toBe(
      findings.containersById.get(id)?.size ?? 0,
    );
    expect(row.accepted, `${id}: accepted on the CVE index`).toBe(
      findings.acceptedById.get(id) ?? 0,
    );
    compared += 1;
  }
  // The pages of the partly accepted ids, and of the first ten of the index.
  const pages = [
    ...[...findings.acceptedById.keys()].filter((id) => rows.has(id)),
    ...[...rows.keys()].slice(0, 10),
  ];
  for (const id of pages)
    expect(cvePageContainers(r, rows.get(id)!.slug), `${id}: CVE page`).toEqual(
      findings.containersById.get(id),
    );
  const onlyAccepted = [...findings.acceptedById.keys()].filter((id) => !rows.has(id));
  console.log(
    `CVE index and pages against export --findings: ${compared} rows, ${pages.length} pages agree; ` +
      `${findings.acceptedById.size} ids with accepted findings (${onlyAccepted.length} only accepted, not on the index)`,
  );
  for (const id of onlyAccepted) expect(findings.containersById.has(id)).toBe(false);
}
