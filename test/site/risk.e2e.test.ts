import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';

const ARTIFACTS = path.resolve('test-artifacts');

// The demo as a new user first sees it: the real CISA KEV catalogue, made-up EPSS scores and
// three accepted-risk rules (one accepted, one expired three days ago, one stale), in Chromium.
describe('the demo shows what matters first: KEV, EPSS, accepted risk', () => {
  let browser: Browser;
  let site = '';

  beforeAll(async () => {
    site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-risk-')), 'site');
    const demo = await runCli(['demo', '--site-dir', site], {});
    expect(demo.exitCode, demo.stderr).toBe(0);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(() => browser?.close());

  async function open(page: string, query = ''): Promise<Page> {
    const tab = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await tab.goto(`file://${site}/${page}${query}`);
    return tab;
  }

  it('lists Fix first on the home page, known exploited first, with KEV markers', async () => {
    const page = await open('index.html');
    const items = page.locator('[data-fix-item]');
    expect(await items.count()).toBe(10);
    const first = await items.evaluateAll((els) =>
      els.map((el) => ({
        id: el.getAttribute('data-fix-item'),
        kev: el.querySelector('.kev')?.textContent?.trim() ?? null,
        where: el.querySelector('.where')?.textContent ?? '',
        fixes: el.querySelector('.fixes')?.textContent ?? '',
      })),
    );
    // The demo's three KEV findings (real reports, real catalogue) lead the list.
    expect(first.slice(0, 3).map((i) => i.kev)).toEqual(['KEV', 'KEV', 'KEV']);
    expect(first.slice(0, 3).map((i) => i.id)).toEqual(
      expect.arrayContaining(['CVE-2025-24813', 'CVE-2020-15999', 'CVE-2023-4863']),
    );
    expect(first.slice(3).every((i) => i.kev === null)).toBe(true);
    for (const item of first) {
      expect(item.where).toMatch(/\d+ containers?:/);
      expect(item.fixes).toMatch(/Fixed in: |no fixed version yet/);
    }
    expect(await page.locator('[data-kev-total]').getAttribute('data-kev-total')).toBe('3');
    await page.locator('[data-fix-first]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-fix-first.png'), fullPage: false });
    await page.close();
  });

  it('filters the table to containers with a known exploited finding', async () => {
    const page = await open('index.html', '?kev=1');
    const visible = await page
      .locator('tr[data-row]:not([hidden])')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kev')));
    const all = await page.locator('tr[data-row][data-kev="true"]').count();
    expect(visible.length).toBe(all);
    expect(visible.every((k) => k === 'true')).toBe(true);
    expect(all).toBeGreaterThan(0);
    const epss = await open('index.html', '?epss=0.5');
    const scores = await epss
      .locator('tr[data-row]:not([hidden])')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-epss') || -1)));
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((s) => s >= 0.5)).toBe(true);
    await page.close();
    await epss.close();
  });

  it('shows the accepted finding apart and the expired one back, marked', async () => {
    const page = await open('accepted.html');
    expect(await page.locator('[data-accepted-row]').count()).toBe(1);
    expect(await page.locator('[data-accepted-row]').textContent()).toContain('CVE-2024-4068');
    expect(await page.locator('[data-expired-row]').textContent()).toContain('CVE-2023-46233');
    expect(await page.locator('[data-stale-rules] li').textContent()).toContain('CVE-2019-10744');
    await page.screenshot({ path: path.join(ARTIFACTS, 'demo-accepted-risk.png'), fullPage: true });
    // The image page, by the link on the home page (opened directly: no navigation race).
    const home = await open('index.html');
    const href = await home
      .locator('a', { hasText: 'ghcr.io/flaresolverr/flaresolverr:v3.3.21' })
      .first()
      .getAttribute('href');
    await home.close();
    const image = await open(href!);
    expect(await image.locator('[data-accepted] [data-accepted-row]').count()).toBe(1);
    const expired = image.locator('tr[data-f]', { hasText: 'CVE-2023-46233' }).first();
    expect(await expired.locator('.expired-mark').textContent()).toBe('acceptance expired');
    await page.close();
    await image.close();
  });
});
