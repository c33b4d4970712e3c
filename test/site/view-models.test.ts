import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { buildRows, groupRows, NO_STACK, type ContainerRow } from '../../src/lib/container-rows.ts';
import { buildImagePages, sortFindings } from '../../src/lib/image-pages.ts';
import { severityWeight, stateOf } from '../../src/lib/row-attributes.ts';
import { readSiteData, type SiteData } from '../../src/lib/site-data.ts';
import { buildSummary } from '../../src/lib/summary.ts';

describe('site view models over the demo homelab', () => {
  let data: SiteData;
  let rows: ContainerRow[];

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-vm-'));
    await createDemoData(dir, new Date('2026-11-25T12:00:00Z'));
    data = await readSiteData(dir);
    rows = buildRows(data);
  });

  it('has one row per container', () => {
    expect(rows).toHaveLength(44);
    expect(new Set(rows.map((r) => r.domId)).size).toBe(44);
  });

  it('makes the summary agree with the table', () => {
    const summary = buildSummary(data, rows);
    for (const s of summary.severities) {
      const key = s.key as 'critical' | 'high' | 'medium' | 'low';
      const withIt = rows.filter(
        (r) => r.security.kind === 'scanned' && r.security.counts[key] > 0,
      );
      expect(s.containers, key).toBe(withIt.length);
      // Findings count each distinct image once: sum over the rows, deduplicated by image.
      const perImage = new Map(
        withIt.map((r) => [r.image, r.security.kind === 'scanned' ? r.security.counts[key] : 0]),
      );
      expect(s.findings, key).toBe([...perImage.values()].reduce((a, b) => a + b, 0));
    }
    const c = summary.containers;
    expect(c.clean + c.vulnerable + c.failed + c.pending + c.notScanned + c.skipped).toBe(c.total);
    expect(c).toEqual({
      total: 44,
      clean: 8,
      vulnerable: 30,
      failed: 4,
      pending: 0,
      notScanned: 1,
      skipped: 1,
    });
    expect(summary.hosts.map((h) => [h.name, h.ok])).toEqual([
      ['server', true],
      ['nas', true],
      ['pi', false],
    ]);
  });

  it('counts unique CVEs once across images', () => {
    const summary = buildSummary(data, rows);
    const critical = summary.severities.find((s) => s.key === 'critical')!;
    expect(critical.uniqueCves).toBe(1);
    expect(critical.findings).toBeGreaterThan(critical.uniqueCves);
  });

  it('groups by host then stack, anchors leading their dependents', () => {
    const groups = groupRows(rows, ['server', 'nas', 'pi']);
    expect(groups.map((g) => g.host)).toEqual(
      [...groups.map((g) => g.host)].sort(
        (a, b) => ['server', 'nas'].indexOf(a) - ['server', 'nas'].indexOf(b),
      ),
    );
    const vpn = groups.find((g) => g.host === 'server' && g.stack === 'vpn')!;
    expect(vpn.rows.map((r) => r.name)).toEqual([
      'gluetun',
      'flaresolverr',
      'prowlarr',
      'qbittorrent',
      'sabnzbd',
    ]);
    expect(vpn.rows.filter((r) => r.dependsOn).map((r) => r.dependsOn)).toEqual([
      'Depends on: gluetun (network) — inferred, not labelled',
      'Depends on: gluetun (network) — inferred, not labelled',
      'Depends on: gluetun (network)',
      'Depends on: gluetun (network)',
    ]);
    const nas = groups.filter((g) => g.host === 'nas').map((g) => g.stack);
    expect(nas).toEqual(
      [...nas].sort(
        (a, b) => Number(a === NO_STACK) - Number(b === NO_STACK) || a.localeCompare(b),
      ),
    );
  });

  it('lists dependents on anchors', () => {
    const postgres = rows.find((r) => r.name === 'postgres')!;
    expect(postgres.role).toBe('anchor');
    expect(postgres.dependents).toEqual(['immich-server', 'nextcloud']);
  });

  it('gives each state its filter value and sort weight', () => {
    const by = (name: string) => rows.find((r) => r.name === name)!;
    expect(stateOf(by('bazarr'))).toBe('clean');
    expect(stateOf(by('jellyfin'))).toBe('vulnerable');
    expect(stateOf(by('minecraft'))).toBe('failed');
    expect(stateOf(by('drone-runner'))).toBe('not_scanned');
    expect(stateOf(by('legacy-erp'))).toBe('skipped');
    expect(severityWeight(by('jellyfin'))).toBeGreaterThan(severityWeight(by('radarr')));
    expect(severityWeight(by('minecraft'))).toBeGreaterThan(severityWeight(by('drone-runner')));
    expect(by('minecraft').security).toMatchObject({ kind: 'failed', code: 'scan_timeout' });
  });

  it('builds one page per distinct image, fixable findings first', () => {
    const pages = buildImagePages(data);
    expect(pages).toHaveLength(43);
    const nginx = pages.find((p) => p.ref === 'nginx:1.27.3')!;
    expect(nginx.containers.map((c) => c.name)).toEqual(['nginx-blog', 'nginx-docs']);
    const jellyfin = pages.find((p) => p.ref === 'jellyfin/jellyfin:10.10.3')!;
    const fixed = jellyfin.findings.map((f) => Boolean(f.fixed));
    expect(fixed).toEqual([...fixed].sort((a, b) => Number(b) - Number(a)));
    expect(
      sortFindings([
        { id: 'B', pkg: 'x', installed: '1', severity: 'low', target: 't' },
        { id: 'A', pkg: 'x', installed: '1', severity: 'critical', target: 't' },
        { id: 'C', pkg: 'x', installed: '1', severity: 'low', fixed: '2', target: 't' },
      ]).map((f) => f.id),
    ).toEqual(['C', 'A', 'B']);
  });
});
