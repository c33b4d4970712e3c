import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SILENT } from '../../pipeline/reporter.ts';
import { resolveFeedsConfig, runFeedsStage } from '../../pipeline/stages/feeds-stage.ts';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { runCli } from '../helpers/cli.ts';
import { DEMO_NOW, demoStore } from '../helpers/store-fixture.ts';

const KEV = path.resolve('test/fixtures/feeds/known_exploited_vulnerabilities.json');

// `export --findings`: every finding of the demo's scanned images, one line each, with the KEV
// entry, the EPSS score and percentile (a made-up EPSS file) and acceptance by DOCKPEEK_VEX.
describe('export --findings', () => {
  let env: Record<string, string>;
  let lines: Array<Record<string, unknown>>;
  let expected = 0;

  beforeAll(async () => {
    const dataDir = await demoStore();
    const inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    const epss = path.join(inputs, 'epss-made-up-export-test.csv');
    writeFileSync(
      epss,
      '#model_version:v2025.03.14,score_date:2026-11-24T00:00:00+0000\ncve,epss,percentile\nCVE-2023-4863,0.40000,0.97000\n',
    );
    const feeds = await resolveFeedsConfig({ from: [KEV, epss] }, {});
    await runFeedsStage(dataDir, feeds, SILENT, { now: DEMO_NOW });
    const rules = path.join(inputs, 'rules.yaml');
    writeFileSync(
      rules,
      'vulnerabilities:\n  - id: CVE-2024-4068\n    images: [ghcr.io/flaresolverr/flaresolverr]\n    statement: VPN only\n',
    );
    env = { DOCKPEEK_DATA_DIR: dataDir, DOCKPEEK_VEX: rules };
    const run = await runCli(['export', '--findings'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    const keys = new Set(db.snapshot!.containers.map((c) => c.imageId));
    for (const [, record] of Object.entries(db.scans))
      if (record.status === 'scanned' && keys.has(record.imageId))
        expected += record.summary?.findings ?? 0;
  }, 120_000);

  it('prints one line per finding of every scanned image', () => {
    expect(expected).toBeGreaterThan(1000);
    expect(lines).toHaveLength(expected);
  });

  it('carries kev, epss and percentile per finding; null where a feed does not say', () => {
    const webp = lines.find((l) => l.id === 'CVE-2023-4863')!;
    expect(webp).toMatchObject({
      kev: true,
      kevDateAdded: '2023-09-13',
      kevDueDate: '2023-10-04',
      epss: 0.4,
      percentile: 0.97,
      acceptance: null,
    });
    const other = lines.find((l) => l.id === 'CVE-2021-3711')!;
    expect(other).toMatchObject({ kev: false, epss: null, percentile: null });
    expect(
      lines
        .filter((l) => l.kev === true)
        .map((l) => l.id)
        .sort(),
    ).toEqual(['CVE-2020-15999', 'CVE-2023-4863', 'CVE-2025-24813']);
  });

  it('marks what DOCKPEEK_VEX accepts, in that image only', () => {
    const braces = lines.filter((l) => l.id === 'CVE-2024-4068');
    expect(braces.length).toBeGreaterThan(1);
    const accepted = braces.filter((l) => l.acceptance === 'accepted');
    expect(accepted.map((l) => l.image)).toEqual(['ghcr.io/flaresolverr/flaresolverr:v3.3.21']);
  });

  it('writes the same as CSV, one row per finding', async () => {
    const run = await runCli(['export', '--findings', '--format', 'csv'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const rows = run.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'image,imageId,containers,id,severity,pkg,installed,fixed,kev,kevDateAdded,kevDueDate,epss,percentile,acceptance,until',
    );
    expect(rows).toHaveLength(expected + 1);
  });
});
