import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSiteModel } from '../../../pipeline/site/model/build-model.ts';
import type { ContainerRow, SiteModel } from '../../../pipeline/site/model/index.ts';
import { SILENT } from '../../../pipeline/reporter.ts';
import { resolveFeedsConfig, runFeedsStage } from '../../../pipeline/stages/feeds-stage.ts';
import { DEMO_NOW, demoStore } from '../../helpers/store-fixture.ts';

// KEV, EPSS and accepted risk as the build applies them, on the demo homelab (real Trivy reports)
// with the real CISA catalogue, a made-up EPSS file and rules judged at a fake clock.
const KEV = path.resolve('test/fixtures/feeds/known_exploited_vulnerabilities.json');
const FLARE = 'ghcr.io/flaresolverr/flaresolverr:v3.3.21';
const DAY = 86_400_000;

/** A made-up EPSS file (FIRST's format) scoring a few of the demo's CVEs. */
function writeMadeUpEpss(dir: string): string {
  const file = path.join(dir, 'epss-made-up-risk-test.csv');
  writeFileSync(
    file,
    [
      '#model_version:v2025.03.14,score_date:2026-11-24T00:00:00+0000',
      'cve,epss,percentile',
      'CVE-2021-3711,0.91000,0.99500',
      'CVE-2023-4863,0.40000,0.97000',
      'CVE-2024-4068,0.00100,0.20000',
      '',
    ].join('\n'),
  );
  return file;
}

function writeRules(dir: string): string {
  const file = path.join(dir, 'rules.yaml');
  writeFileSync(
    file,
    [
      'vulnerabilities:',
      '  - id: CVE-2024-4068',
      '    images: [ghcr.io/flaresolverr/flaresolverr]',
      '    statement: only reachable through the VPN container',
      '    expired_at: 2026-12-01',
      '  - id: CVE-2019-10744',
      '    images: [portainer/portainer-ce]',
      '    statement: matches nothing',
      '',
    ].join('\n'),
  );
  return file;
}

const rowsOf = (model: SiteModel): ContainerRow[] => model.table.groups.flatMap((g) => g.rows);
const flare = (model: SiteModel) => model.images.find((i) => i.ref === FLARE)!;

describe('KEV, EPSS and accepted risk in the site model', () => {
  let dataDir: string;
  let rules: string;
  let plain: SiteModel;
  let before: SiteModel;
  let after: SiteModel;
  const build = (now: Date, vex?: string) =>
    buildSiteModel({
      dataDir,
      now,
      staleAfterMs: 26 * 3_600_000,
      resultTtlMs: 24 * 3_600_000,
      codeHash: 'test',
      version: '0.0.0-test',
      ...(vex && { vex: { paths: [vex], maxBytes: 1 << 20 } }),
    });

  beforeAll(async () => {
    dataDir = await demoStore();
    const inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    rules = writeRules(inputs);
    plain = (await build(DEMO_NOW)).model;
    const feeds = await resolveFeedsConfig({ from: [KEV, writeMadeUpEpss(inputs)] }, {});
    expect((await runFeedsStage(dataDir, feeds, SILENT, { now: DEMO_NOW })).degraded).toBe(false);
    before = (await build(DEMO_NOW, rules)).model;
    // The rule's expired_at is 2026-12-01: a week later it no longer applies.
    after = (await build(new Date(DEMO_NOW.getTime() + 7 * DAY), rules)).model;
  }, 120_000);

  it('without a catalogue, KEV counts are unknown, never zero', () => {
    expect(plain.summary.risk.kevFindings).toBeNull();
    expect(plain.freshness.feeds.kev.fetchedAt).toBeNull();
    expect(rowsOf(plain).every((r) => !r.kev)).toBe(true);
  });

  it('marks KEV findings with CISA dates, on findings, CVE pages and the summary', () => {
    const cve = before.cves.find((c) => c.id === 'CVE-2023-4863')!;
    expect(cve.kev).toMatchObject({ dateAdded: '2023-09-13', dueDate: '2023-10-04' });
    expect(cve.epss).toEqual({ score: 0.4, percentile: 0.97 });
    const jellyfin = before.images.find((i) =>
      i.findings.state === 'listed' ? i.findings.rows.some((f) => f.id === 'CVE-2023-4863') : false,
    )!;
    const row = jellyfin.findings.state === 'listed' ? jellyfin.findings.rows : [];
    expect(row.find((f) => f.id === 'CVE-2023-4863')).toMatchObject({
      kev: { dateAdded: '2023-09-13', ransomware: false },
      epss: { score: 0.4, percentile: 0.97 },
    });
    // Three KEV findings in the demo: CVE-2020-15999, CVE-2023-4863 (nginx 1.16), CVE-2025-24813.
    expect(before.summary.risk.kevFindings).toBe(3);
    const kevRows = rowsOf(before).filter((r) => r.kev);
    expect(before.summary.risk.kevContainers).toBe(kevRows.length);
    expect(kevRows.length).toBeGreaterThan(0);
    expect(before.freshness.feeds.kev).toMatchObject({
      version: 'catalogue 2025.08.25',
      entries: 1404,
    });
  });

  it('ranks Fix first: KEV before EPSS before critical-with-fix, with containers and fixes', () => {
    const items = before.fixFirst.items;
    expect(items.slice(0, 3).map((i) => i.reasons.includes('kev'))).toEqual([true, true, true]);
    const ids = items.map((i) => i.id);
    expect(ids.indexOf('CVE-2021-3711')).toBeGreaterThan(2);
    const openssl = items.find((i) => i.id === 'CVE-2021-3711')!;
    expect(openssl.reasons).toEqual(['epss', 'critical_fix']);
    expect(openssl.fixes.some((f) => f.startsWith('libssl1.1 → '))).toBe(true);
    expect(openssl.containers.length).toBeGreaterThan(0);
    for (let i = 1; i < items.length; i++)
      expect(items[i - 1]!.score).toBeGreaterThanOrEqual(items[i]!.score);
    expect(before.fixFirst.total).toBeGreaterThanOrEqual(items.length);
  });

  it('takes an accepted finding out of counts, badges and CVE pages, and lists it apart', () => {
    const was = flare(plain).security;
    const now = flare(before).security;
    if (was.state !== 'scanned' || now.state !== 'scanned') throw new Error('flaresolverr scanned');
    expect(now.accepted).toBe(1);
    expect(now.findings).toBe(was.findings - 1);
    expect(now.counts.high).toBe(was.counts.high - 1);
    expect(flare(before).accepted).toEqual([
      expect.objectContaining({
        id: 'CVE-2024-4068',
        pkg: 'braces',
        expiresAt: expect.stringMatching(/^2026-12-01/),
        rule: expect.objectContaining({
          reason: 'only reachable through the VPN container',
          source: 'rules.yaml vulnerabilities[0] (line 2)',
        }),
      }),
    ]);
    const listed = flare(before).findings;
    expect(listed.state === 'listed' && listed.rows.some((f) => f.id === 'CVE-2024-4068')).toBe(
      false,
    );
    // Other images carry it too (the same report): its CVE page stays, without flaresolverr.
    const images = (m: SiteModel) =>
      m.cves.find((c) => c.id === 'CVE-2024-4068')?.images.map((i) => i.ref) ?? [];
    expect(images(plain)).toContain(FLARE);
    expect(images(before)).not.toContain(FLARE);
    expect(images(before).length).toBe(images(plain).length - 1);
    expect(before.summary.risk).toMatchObject({ accepted: 1, expired: 0, staleRules: 1 });
    expect(before.risk.stale.map((r) => r.vulnerability)).toEqual(['CVE-2019-10744']);
    const highCard = (m: SiteModel) => m.summary.severities.find((s) => s.key === 'high')!;
    expect(highCard(before).findings).toBe(highCard(plain).findings! - 1);
  });

  it('brings the finding back, marked, once the rule expired (fake clock)', () => {
    const s = flare(after).security;
    if (s.state !== 'scanned') throw new Error('scanned');
    expect(s.accepted).toBeUndefined();
    expect(s.expired).toBe(1);
    const was = flare(plain).security;
    expect(s.findings).toBe(was.state === 'scanned' ? was.findings : -1);
    const listed = flare(after).findings;
    const back =
      listed.state === 'listed' ? listed.rows.find((f) => f.id === 'CVE-2024-4068') : undefined;
    expect(back?.expired).toMatchObject({
      reason: 'only reachable through the VPN container',
      expiredAt: expect.stringMatching(/^2026-12-01/),
    });
    expect(after.summary.risk).toMatchObject({ accepted: 0, expired: 1 });
    expect(after.risk.expired.map((e) => e.id)).toEqual(['CVE-2024-4068']);
  });

  it('lists a rejected document and reports it as a problem; its rules do not apply', async () => {
    const bad = path.join(path.dirname(rules), 'bad.yaml');
    writeFileSync(bad, 'vulnerabilities:\n  - id: CVE-2024-4068\n    expired_at: soon\n');
    const input = await build(DEMO_NOW, bad);
    expect(input.problems).toEqual([
      expect.stringMatching(/bad\.yaml line 3 rejected \(bad_date\)/),
    ]);
    expect(input.model.risk.rejected).toEqual([
      expect.objectContaining({ file: 'bad.yaml', code: 'bad_date' }),
    ]);
    expect(input.model.summary.risk).toMatchObject({ accepted: 0, rejectedDocuments: 1 });
  });
});
