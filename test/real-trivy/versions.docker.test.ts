// What the real Trivy says that the stand-in never did (audit points 7-9): a `go install` build
// that calls itself "dev", a fixed-version list longer than any one field DockPeek keeps (one
// synthetic advisory with a fix in 90 release lines), and a CVSS v4 score with no v3 beside it.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { CASES } from './cases.ts';
import type { Carried } from './carried.ts';
import { expectedFindings } from './expected.ts';
import { ghsaRecord } from './ghsa.ts';
import { startRealLab, type RealLab } from './lab.ts';
import { readStored } from './stored.ts';
import { realTools } from './tools.ts';

const tools = realTools();
/** Fixed in 90 release lines: Trivy joins them into one FixedVersion of 710 characters. */
const FIXED = Array.from({ length: 90 }, (_, i) => `${i + 2}.0.1`);
const LONG_FIX: Carried = {
  image: {
    name: 'long-fix',
    ref: 'dpk-real/long-fix:1',
    report: '',
    types: ['node-pkg'],
    note: 'one npm package and a synthetic advisory fixed in 90 release lines',
  },
  packages: [
    {
      type: 'node-pkg',
      name: 'left-pad',
      version: '1.0.0',
      path: 'app/node_modules/left-pad/package.json',
    },
  ],
  findings: [],
  left: [],
};
const ADVISORY = ghsaRecord({
  ghsaId: 'GHSA-dpk0-long-fix0',
  aliases: [],
  summary: 'Synthetic advisory: fixed in many release lines',
  severity: 'HIGH',
  ecosystem: 'npm',
  pkg: 'left-pad',
  fixed: FIXED,
  published: '2026-01-01T00:00:00Z',
});

describe.skipIf(!tools)('the real Trivy: versions, long fields, CVSS v4', () => {
  let lab: RealLab;
  let root: string;
  let env: Record<string, string>;
  let run: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    lab = await startRealLab(tools!, [CASES.find((c) => c.name === 'juice-shop')!], {
      images: [LONG_FIX],
      advisories: [ADVISORY],
    });
    root = mkdtempSync(path.join(tmpdir(), 'dpk-real-versions-'));
    // A build without the version stamp, as `go install` makes it (.ci/build-trivy.sh).
    env = { ...lab.env(root), TRIVY_BIN: path.join(path.dirname(tools!.trivy), 'trivy-dev') };
    run = await runCli(['refresh'], env);
  });
  afterAll(() => lab?.stop());

  it('a trivy that says "Version: dev": scans, says what it assumed, records "dev"', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'trivy says its version is "dev" (a build without a release number, as `go install` makes): assuming Trivy ≥ 0.68, which has the memory cache backend',
    );
    expect(run.stderr).toMatch(/scan: 2 scanned this run \(trivy dev, private server cache/);
    const stored = readStored(env.DOCKPEEK_DATA_DIR!);
    expect(stored.get('juice-shop')).toMatchObject({ status: 'scanned', trivyVersion: 'dev' });
    expect(stored.get('juice-shop')?.findings).toEqual(expectedFindings(lab.carried[0]!));
  });

  it('a fixed-version list of 710 characters is cut between versions, and the image is scanned', () => {
    const [finding, ...rest] = readStored(env.DOCKPEEK_DATA_DIR!).get('long-fix')?.findings ?? [];
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'GHSA-dpk0-long-fix0', pkg: 'left-pad', severity: 'high' });
    const fixed = finding!.fixed!;
    expect(FIXED.join(', ').length).toBe(710);
    expect(fixed.length).toBeLessThanOrEqual(512);
    const [, list, more] = /^(.*), … \(\+(\d+) more\)$/.exec(fixed) ?? [];
    const kept = list!.split(', ');
    expect(kept).toEqual(FIXED.slice(0, kept.length));
    expect(kept.length + Number(more)).toBe(FIXED.length);
  });

  it('a CVSS v4 score without v3 is kept as v4, and the image page says so', () => {
    const finding = readStored(env.DOCKPEEK_DATA_DIR!)
      .get('juice-shop')
      ?.findings?.find((f) => f.id === 'CVE-2025-57349');
    expect(finding).toMatchObject({ pkg: 'messageformat', cvss: 1.7, cvssVersion: 4 });
    const pages = path.join(env.DOCKPEEK_SITE_DIR!, 'images');
    const page = readdirSync(pages)
      .map((f) => readFileSync(path.join(pages, f), 'utf8'))
      .find((html) => html.includes('CVE-2025-57349'))!;
    const row = page.slice(page.indexOf('CVE-2025-57349'));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(
      /1\.7\s*<span class="muted"[^>]*>\(v4\)<\/span>/,
    );
  });
});
