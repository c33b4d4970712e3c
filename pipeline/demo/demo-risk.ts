import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../project-root.ts';
import { SILENT } from '../reporter.ts';
import { reportsDir } from '../scan/reports.ts';
import { resolveFeedsConfig, runFeedsStage } from '../stages/feeds-stage.ts';

const DAY = 86_400_000;

/** The real CISA KEV catalogue of 2025-08-25 (CC0), copied into the repository (demo/feeds). */
const DEMO_KEV = path.join(PROJECT_ROOT, 'demo', 'feeds', 'known_exploited_vulnerabilities.json');

/**
 * The demo's feeds and accepted-risk rules, stored in its data dir: the real KEV catalogue, an
 * EPSS file in FIRST's format whose scores are MADE UP (named so, model "made-up-for-the-demo")
 * for the demo's CVE ids, and a .trivyignore.yaml with an accepted, an expired and a stale rule
 * dated around `now`. Returns the rules file, for the build's DOCKPEEK_VEX.
 */
export async function addDemoRisk(dataDir: string, now: Date) {
  const inputs = path.join(dataDir, 'demo-inputs');
  await mkdir(inputs, { recursive: true });
  const epss = path.join(inputs, 'epss-made-up-for-the-demo.csv.gz');
  await writeFile(epss, gzipSync(madeUpEpss(await demoCveIds(dataDir), now)));
  const config = await resolveFeedsConfig({ from: [DEMO_KEV, epss] }, {});
  await runFeedsStage(dataDir, config, SILENT, { now });
  const rules = path.join(inputs, 'accepted-risk.trivyignore.yaml');
  await writeFile(rules, demoRules(now));
  return { paths: [rules] };
}

/** The CVE ids of the demo's findings files (NDJSON, one finding a line). */
async function demoCveIds(dataDir: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const dir = reportsDir(dataDir);
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.ndjson')) continue;
    for (const match of (await readFile(path.join(dir, name), 'utf8')).matchAll(
      /"id":"(CVE-[\d-]+)"/g,
    ))
      ids.add(match[1]!);
  }
  return ids;
}

/** Made-up EPSS rows: a skewed, seeded score per CVE id, and its percentile among them. */
function madeUpEpss(cveIds: Iterable<string>, now: Date): string {
  const ids = [...new Set(cveIds)].filter((id) => /^CVE-\d{4}-\d{4,19}$/.test(id)).sort();
  const scored = ids.map((id) => {
    const h = createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;
    return { id, score: Math.max(0.00001, h ** 6) };
  });
  const sorted = scored.map((s) => s.score).sort((a, b) => a - b);
  const rank = (score: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= score) lo = mid + 1;
      else hi = mid;
    }
    return lo / sorted.length;
  };
  const day = now.toISOString().slice(0, 10);
  return [
    `#model_version:made-up-for-the-demo,score_date:${day}T00:00:00+0000`,
    'cve,epss,percentile',
    ...scored.map((s) => `${s.id},${s.score.toFixed(5)},${rank(s.score).toFixed(5)}`),
    '',
  ].join('\n');
}

/** An accepted rule (for 45 more days), an expired one (3 days ago) and a stale one. */
function demoRules(now: Date): string {
  const day = (offset: number) => new Date(now.getTime() + offset * DAY).toISOString().slice(0, 10);
  return [
    '# Demo accepted-risk rules (Trivy .trivyignore.yaml format, with images: to scope them).',
    'vulnerabilities:',
    '  - id: CVE-2024-4068',
    '    images: [ghcr.io/flaresolverr/flaresolverr]',
    '    statement: flaresolverr is only reachable through the VPN container; braces gets no user input',
    `    expired_at: ${day(45)}`,
    '  - id: CVE-2023-46233',
    '    images: [ghcr.io/flaresolverr/flaresolverr]',
    '    statement: waiting for the upstream release that drops crypto-js',
    `    expired_at: ${day(-3)}`,
    '  - id: CVE-2019-10744',
    '    images: [portainer/portainer-ce]',
    '    statement: lodash is not loaded by the portainer UI',
    '',
  ].join('\n');
}
