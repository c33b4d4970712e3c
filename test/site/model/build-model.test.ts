import { severityRank } from '../../../pipeline/vocabulary.ts';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSiteModel } from '../../../pipeline/site/model/build-model.ts';
import type { Summary } from '../../../pipeline/site/model/index.ts';
import { DEMO_NOW, demoStore, editDb } from '../../helpers/store-fixture.ts';

const build = (dataDir: string) =>
  buildSiteModel({
    dataDir,
    now: DEMO_NOW,
    staleAfterMs: 26 * 3_600_000,
    resultTtlMs: 24 * 3_600_000,
    codeHash: 'test',
    version: '0.0.0-test',
  });

/** The honesty invariant: no figure from scans that did not happen is a number, or clean. */
function expectHonest(summary: Summary): void {
  const i = summary.images;
  const unknown = i.failed + i.pending + i.notScanned;
  for (const card of summary.severities) {
    if (i.scanned === 0) {
      expect(card.findings, card.key).toBeNull();
      expect(card.uniqueCves, card.key).toBeNull();
      expect(card.containers, card.key).toBeNull();
    }
    if (card.tone === 'clean') {
      expect(unknown, `${card.key} is clean while images are unknown`).toBe(0);
      expect(card.findings).toBe(0);
    }
  }
  if (i.scanned === 0) expect(summary.fixable).toBeNull();
  expect(i.scanned + i.failed + i.pending + i.notScanned + i.skipped).toBe(i.total);
}

describe('the site model of the demo homelab (mixed states)', async () => {
  const { model } = await build(await demoStore());

  it('has one row per container and the summary agrees with the table', () => {
    const rows = model.table.groups.flatMap((g) => g.rows);
    expect(rows).toHaveLength(44);
    expect(new Set(rows.map((r) => r.domId)).size).toBe(44);
    for (const s of model.summary.severities) {
      const withIt = rows.filter(
        (r) => r.security.state === 'scanned' && r.security.counts[s.key] > 0,
      );
      expect(s.containers, s.key).toBe(withIt.length);
      const perImage = new Map(
        withIt.map((r) => [r.image, r.security.state === 'scanned' ? r.security.counts[s.key] : 0]),
      );
      expect(s.findings, s.key).toBe([...perImage.values()].reduce((a, b) => a + b, 0));
    }
    expect(model.summary.containers).toMatchObject({
      total: 44,
      clean: 7,
      vulnerable: 32,
      failed: 3,
      notScanned: 1,
      skipped: 1,
    });
    expectHonest(model.summary);
  });

  it('never draws a zero card clean while some images are unknown', async () => {
    const dir = await demoStore();
    // Only images without a HIGH finding, and the failed ones: HIGH is 0 where known.
    editDb(dir, (db) => {
      db.snapshot!.containers = db.snapshot!.containers.filter((c) => {
        const r = db.scans[c.imageId];
        return r?.status === 'failed' || (r?.status === 'scanned' && r.summary!.counts.high === 0);
      });
    });
    const { model: few } = await build(dir);
    const high = few.summary.severities.find((s) => s.key === 'high')!;
    expect(few.summary.images.failed).toBeGreaterThan(0);
    expect(high.findings).toBe(0);
    expect(high.tone).toBe('unknown');
    expectHonest(few.summary);
  });

  it('puts the dependent’s anchor in the row, and anchors before their dependents', () => {
    const vpn = model.table.groups.find((g) => g.host === 'server' && g.stack === 'vpn')!;
    expect(vpn.rows.map((r) => r.name)).toEqual([
      'gluetun',
      'flaresolverr',
      'prowlarr',
      'qbittorrent',
      'sabnzbd',
    ]);
    expect(vpn.rows.slice(1).map((r) => r.anchor)).toEqual([
      { name: 'gluetun', type: 'network', inferred: true },
      { name: 'gluetun', type: 'network', inferred: true },
      { name: 'gluetun', type: 'network', inferred: false },
      { name: 'gluetun', type: 'network', inferred: false },
    ]);
  });

  it('says on a failed image page that its findings are unknown, and why', () => {
    const page = model.images.find(
      (p) => p.ref === 'ghcr.io/immich-app/immich-machine-learning:v1.123.0',
    )!;
    expect(page.security).toMatchObject({ state: 'failed', code: 'scan_timeout' });
    expect(page.findings).toEqual({
      state: 'unknown',
      reason: 'The scan failed (scan_timeout), so the findings of this image are unknown.',
    });
  });

  it('marks images on an end-of-life OS (Trivy’s Metadata.OS.EOSL) and counts them', () => {
    const jellyfin = model.images.find((p) => p.ref === 'jellyfin/jellyfin:10.10.3')!;
    expect(jellyfin.security).toMatchObject({
      state: 'scanned',
      os: { family: 'debian', name: '10.3', eosl: true },
    });
    const eol = model.images.filter((p) => p.security.state === 'scanned' && p.security.os?.eosl);
    expect(model.summary.endOfLife.images).toBe(eol.length);
    expect(model.summary.endOfLife.containers).toBe(
      eol.reduce((n, p) => n + p.containers.length, 0),
    );
  });

  it('lists the most severe findings first on an image page, fixable first within a severity', () => {
    const page = model.images.find((p) => p.ref === 'jellyfin/jellyfin:10.10.3')!;
    if (page.findings.state !== 'listed') throw new Error('expected findings');
    // No KEV catalogue in this store: by severity, then fixable (KEV first: cve-tools.test.ts).
    const order = page.findings.rows.map((f) => severityRank(f.severity) * 2 + (f.fixed ? 0 : 1));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page.findings.total).toBe(page.findings.rows.length + page.findings.omitted);
  });
});

describe('honest numbers', () => {
  it('nothing scanned yet: every figure unknown, no clean card, and the reason', async () => {
    const dir = await demoStore();
    editDb(dir, (db) => {
      db.scans = {};
      delete db.scanRun;
    });
    const { model } = await build(dir);
    expectHonest(model.summary);
    expect(model.summary.severities.map((s) => [s.findings, s.tone])).toEqual([
      [null, 'unknown'],
      [null, 'unknown'],
      [null, 'unknown'],
      [null, 'unknown'],
    ]);
    expect(model.scanRun).toEqual({ state: 'never' });
    const row = model.table.groups[0]!.rows[0]!;
    expect(row.security).toEqual({ state: 'not_scanned', reason: 'no scan has run yet' });
  });

  it('every scan failed: unknown everywhere, no zero', async () => {
    const dir = await demoStore();
    editDb(dir, (db) => {
      for (const [key, r] of Object.entries(db.scans))
        if (r.status !== 'skipped')
          db.scans[key] = {
            status: 'failed',
            imageId: r.imageId,
            ref: r.ref,
            host: r.host,
            updatedAt: r.updatedAt,
            error: { code: 'db_unavailable', message: 'no DB' },
          };
    });
    const { model } = await build(dir);
    expectHonest(model.summary);
    expect(model.summary.severities.every((s) => s.findings === null)).toBe(true);
    expect(model.images.every((p) => p.findings.state === 'unknown')).toBe(true);
  });

  it('no scanner available: the run says why and images say it too', async () => {
    const dir = await demoStore();
    editDb(dir, (db) => {
      db.scans = {};
      db.scanRun = {
        state: 'unavailable',
        at: DEMO_NOW.toISOString(),
        message: 'cannot run trivy (trivy): spawn trivy ENOENT',
        hint: 'Install Trivy',
      };
    });
    const { model } = await build(dir);
    expect(model.scanRun.state).toBe('unavailable');
    expect(model.images[0]!.security).toEqual({
      state: 'not_scanned',
      reason: 'no scan could run (cannot run trivy (trivy): spawn trivy ENOENT)',
    });
  });

  it('everything scanned clean: the cards may be green', async () => {
    const dir = await demoStore();
    editDb(dir, (db) => {
      db.snapshot!.containers = db.snapshot!.containers.filter(
        (c) =>
          db.scans[c.imageId]?.status === 'scanned' && db.scans[c.imageId]!.summary!.findings === 0,
      );
    });
    const { model } = await build(dir);
    expectHonest(model.summary);
    expect(model.summary.severities.map((s) => s.tone)).toEqual([
      'clean',
      'clean',
      'clean',
      'clean',
    ]);
  });

  it('an archived day where the DB was down: unknown on its page, and a diff that says so', async () => {
    const input = await build(await demoStore(5));
    const day4 = input.model.history.points.find((p) => p.failedImages > 30)!;
    expect(day4.counts).toBeNull();
    const page = await input.historyPage(day4.id);
    expectHonest(page.summary);
    expect(page.summary.severities.every((s) => s.tone === 'unknown')).toBe(true);
    expect(page.diff!.compared).toBe(0);
    expect(page.diff!.unknown.length).toBeGreaterThan(30);
    const after = input.model.history.points[input.model.history.points.indexOf(day4) + 1]!;
    const next = await input.historyPage(after.id);
    // The day after: what was scanned then is unknown only on the DB-down side.
    expect(next.diff!.unknown.filter((u) => u.side === 'after')).toEqual([]);
    expect(next.diff!.unknown.filter((u) => u.side === 'before').length).toBeGreaterThan(30);
  });

  it('the newest archived snapshot shows the updates recorded with it', async () => {
    const input = await build(await demoStore(2));
    const newest = input.model.history.points.at(-1)!;
    const page = await input.historyPage(newest.id);
    expect(page.updatesRecorded).toBe(true);
    expect(page.summary.updates.available).toBe(input.model.summary.updates.available);
    expect(page.summary.updates.available).toBeGreaterThan(0);
  });

  it('an archive from before update states were recorded says so', async () => {
    const dir = await demoStore(2);
    // An archive written by 1.1 has no update records.
    const [oldestFile] = readdirSync(path.join(dir, 'archive'))
      .filter((f) => f.startsWith('snapshot-'))
      .sort();
    const file = path.join(dir, 'archive', oldestFile!);
    const { updates: _, ...old } = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify(old));
    const input = await build(dir);
    const oldest = input.model.history.points[0]!;
    const page = await input.historyPage(oldest.id);
    expect(page.updatesRecorded).toBe(false);
    expect(page.table.groups[0]!.rows.every((r) => r.update.state === 'unrecorded')).toBe(true);
  });
});
