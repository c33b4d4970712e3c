import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BADGE_SEVERITIES, SEVERITIES, type Severity } from '../../pipeline/vocabulary.ts';
import { runCli } from '../helpers/cli.ts';

// The six readers of the same judged findings, on the demo (which has an accepted finding in
// qbittorrent and an expired acceptance): the home page, the History row of the same snapshot,
// the CVE index, `export`, `export --findings` and `notify --dry-run`. Each figure is read the
// way a user or a script reads it (HTML, JSON, text), never from the model.

type Counts = Record<Severity, number>;
const zero = (): Counts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Counts;
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

let dir = '';
let env: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dpk-readers-'));
  const demo = await runCli(
    ['demo', '--keep-data', path.join(dir, 'data'), '--site-dir', path.join(dir, 'site'), '-q'],
    {},
  );
  expect(demo.exitCode, demo.stderr).toBe(0);
  env = {
    DOCKPEEK_DATA_DIR: path.join(dir, 'data'),
    DOCKPEEK_VEX: path.join(dir, 'data/demo-inputs/accepted-risk.trivyignore.yaml'),
  };
}, 180_000);

function home(): Partial<Counts> {
  const html = readFileSync(path.join(dir, 'site/index.html'), 'utf8');
  const out: Partial<Counts> = {};
  for (const m of html.matchAll(
    /data-severity="(\w+)"[\s\S]*?<div class="big"[^>]*>([^<]*)<\/div>/g,
  ))
    out[m[1] as Severity] = Number(m[2]);
  return out;
}

function newestHistoryRow(): Partial<Counts> {
  const html = readFileSync(path.join(dir, 'site/history.html'), 'utf8');
  const row = /<tr data-row[^>]*>([\s\S]*?)<\/tr>/.exec(html)![1]!;
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]!));
  // Taken, containers, hosts, then one column per badge severity.
  return Object.fromEntries(BADGE_SEVERITIES.map((s, i) => [s, Number(cells[3 + i])]));
}

interface Exported {
  containers: Array<{
    image: string;
    imageId: string;
    security: { status: string; counts: Counts; accepted: number | null; raw: { counts: Counts } };
  }>;
}

async function exported(): Promise<{ judged: Counts; raw: Counts; byImage: Map<string, Counts> }> {
  const result = await runCli(['export'], env);
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

async function exportedFindings(): Promise<{ counts: Counts; ids: Set<string>; accepted: number }> {
  const result = await runCli(['export', '--findings'], env);
  expect(result.exitCode, result.stderr).toBe(0);
  const counts = zero();
  const ids = new Set<string>();
  let accepted = 0;
  for (const line of result.stdout.trim().split('\n')) {
    const f = JSON.parse(line) as { id: string; severity: Severity; acceptance: string | null };
    if (f.acceptance === 'accepted') {
      accepted += 1;
      continue;
    }
    counts[f.severity] += 1;
    ids.add(f.id);
  }
  return { counts, ids, accepted };
}

function cveIndexIds(): Set<string> {
  const html = readFileSync(path.join(dir, 'site/cves.html'), 'utf8');
  return new Set([...html.matchAll(/<tr data-row data-sort-name="([^"]+)"/g)].map((m) => m[1]!));
}

/** notify --dry-run after the notify state forgot `refs`: their findings are all "new". */
async function notified(refs: string[]): Promise<Map<string, Partial<Counts>>> {
  const notifyEnv = {
    ...env,
    DOCKPEEK_NOTIFY_URLS: 'json://127.0.0.1:9/unused',
    DOCKPEEK_NOTIFY_SEVERITY: 'low',
  };
  const baseline = await runCli(['notify'], notifyEnv);
  expect(baseline.exitCode, baseline.stderr).toBe(0);
  const file = path.join(dir, 'data/notify-state.json');
  const state = JSON.parse(readFileSync(file, 'utf8'));
  for (const host of Object.values(state.observation.images) as Array<Record<string, unknown>>)
    for (const ref of refs) delete host[ref];
  writeFileSync(file, JSON.stringify(state));
  const result = await runCli(['notify', '--dry-run'], notifyEnv);
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

describe('the readers of the findings agree (demo)', () => {
  it('home, History, the CVE index, export, export --findings and notify --dry-run', async () => {
    const [exp, findings] = await Promise.all([exported(), exportedFindings()]);
    const byReader = { home: home(), history: newestHistoryRow(), export: exp.judged };
    const table = SEVERITIES.map((s) => ({
      severity: s,
      home: byReader.home[s] ?? '—',
      history: byReader.history[s] ?? '—',
      export: exp.judged[s],
      'export --findings': findings.counts[s],
      'raw (scanner)': exp.raw[s],
    }));
    const ids = { cves: cveIndexIds().size, findings: findings.ids.size };
    console.log('judged findings per severity, by reader:');
    console.table(table);
    console.log(`distinct CVE ids: CVE index ${ids.cves}, export --findings ${ids.findings}`);
    for (const s of BADGE_SEVERITIES) {
      expect(byReader.home[s], `home ${s}`).toBe(exp.judged[s]);
      expect(byReader.history[s], `history ${s}`).toBe(exp.judged[s]);
    }
    expect(findings.counts).toEqual(exp.judged);
    expect(ids.cves).toBe(ids.findings);
    // The accepted finding is the difference between the judged and the scanner's view.
    const rawTotal = SEVERITIES.reduce((n, s) => n + exp.raw[s], 0);
    const judgedTotal = SEVERITIES.reduce((n, s) => n + exp.judged[s], 0);
    expect(rawTotal - judgedTotal).toBeGreaterThan(0);
    expect(findings.accepted).toBe(rawTotal - judgedTotal);

    // notify: four images (the one with the accepted finding among them) are "new" again.
    const refs = [...exp.byImage.keys()]
      .filter((r) => r.includes('qbittorrent'))
      .concat([...exp.byImage.keys()].filter((r) => !r.includes('qbittorrent')).slice(0, 3));
    const messages = await notified(refs);
    const rows = refs.map((ref) => ({
      ref,
      export: exp.byImage.get(ref),
      notify: messages.get(ref),
    }));
    console.log('notify --dry-run against export, per image:');
    console.table(
      rows.map((r) => ({
        ref: r.ref,
        ...Object.fromEntries(
          BADGE_SEVERITIES.map((s) => [s, `${r.notify?.[s] ?? 0} / ${r.export?.[s]}`]),
        ),
      })),
    );
    expect(messages.size).toBe(refs.length);
    for (const r of rows)
      for (const s of BADGE_SEVERITIES)
        expect(r.notify?.[s] ?? 0, `${r.ref} ${s}`).toBe(r.export![s]);
  }, 180_000);
});
