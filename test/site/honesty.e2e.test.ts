import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { demoStore, editDb } from '../helpers/store-fixture.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const CLEAN_BG = 'rgb(20, 83, 45)';
const HOUR = 3_600_000;

/** Build the site of a data dir into a fresh folder; returns the site dir. */
async function buildSite(dataDir: string): Promise<string> {
  const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-honest-')), 'site');
  const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', siteDir], {});
  expect(build.exitCode, build.stderr).toBe(0);
  return siteDir;
}

/** Elements painted in the clean green, described. */
function cleanElements(page: Page): Promise<string[]> {
  return page.evaluate(
    (bg) =>
      [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => getComputedStyle(el).backgroundColor === bg && el.offsetParent !== null)
        .map((el) => `${el.className}: ${el.textContent?.trim().slice(0, 40)}`),
    CLEAN_BG,
  );
}

// The dashboard never shows unknown as clean: checked in Chromium on built fixtures, with
// screenshots of each state in test-artifacts/.
describe('honest numbers in Chromium', () => {
  let browser: Browser;
  const sites: Record<'nothing' | 'failed' | 'normal' | 'history', string> = {
    nothing: '',
    failed: '',
    normal: '',
    history: '',
  };

  beforeAll(async () => {
    const nothing = await demoStore();
    editDb(nothing, (db) => {
      db.scans = {};
      delete db.scanRun;
    });
    const failed = await demoStore();
    editDb(failed, (db) => {
      for (const [key, r] of Object.entries(db.scans))
        db.scans[key] = {
          status: 'failed',
          imageId: r.imageId,
          ref: r.ref,
          host: r.host,
          updatedAt: r.updatedAt,
          error: { code: 'db_unavailable', message: 'failed to download vulnerability DB' },
          retryAfter: '2026-11-25T13:00:00.000Z',
        };
    });
    const [a, b, c, d] = await Promise.all([
      buildSite(nothing),
      buildSite(failed),
      demoStore().then(buildSite),
      demoStore(5).then(buildSite),
    ]);
    Object.assign(sites, { nothing: a, failed: b, normal: c, history: d });
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(() => browser?.close());

  /** Open a page at a fixed time: the page's own clock, which the client script reads. */
  async function open(url: string, now = new Date('2026-11-25T12:30:00Z')): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.clock.setFixedTime(now);
    await page.goto(url);
    return page;
  }

  it('nothing scanned yet: no clean colour anywhere, dashes not zeros, and why', async () => {
    const page = await open(`file://${sites.nothing}/index.html`);
    expect(await cleanElements(page)).toEqual([]);
    expect(await page.locator('.card .big').allTextContents()).toEqual(['—', '—', '—', '—']);
    expect(await page.locator('[data-scanner-never]').textContent()).toContain(
      'No image has been scanned yet',
    );
    await page.screenshot({
      path: path.join(ARTIFACTS, 'honest-nothing-scanned.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('every scan failed: no clean colour, and a failed image page says its findings are unknown', async () => {
    const page = await open(`file://${sites.failed}/index.html`);
    expect(await cleanElements(page)).toEqual([]);
    expect(await page.locator('.card .coverage').first().textContent()).toBe(
      'unknown: 41 of 42 scans failed, 1 not scanned; 1 skipped by label',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'honest-all-failed.png'), fullPage: true });
    const image = readdirSync(path.join(sites.failed, 'images'))[0]!;
    await page.goto(`file://${sites.failed}/images/${image}`);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\(0\)/);
    expect(await page.locator('h2', { hasText: 'Findings' }).textContent()).toBe(
      'Findings: unknown',
    );
    expect(await page.locator('[data-findings-unknown]').textContent()).toContain(
      'The scan failed (db_unavailable)',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'image-failed.png'), fullPage: true });
    await page.close();
  });

  it('the normal state: green only on rows scanned clean, never on a card while images are unknown', async () => {
    const page = await open(`file://${sites.normal}/index.html`);
    const clean = await cleanElements(page);
    expect(clean.length).toBeGreaterThan(0);
    const outsideCleanRows = await page.evaluate(
      (bg) =>
        [...document.querySelectorAll<HTMLElement>('body *')].filter(
          (el) =>
            getComputedStyle(el).backgroundColor === bg && !el.closest('tr[data-state="clean"]'),
        ).length,
      CLEAN_BG,
    );
    expect(outsideCleanRows).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'home-normal.png'), fullPage: true });
    await page.close();
  });

  it('an archived day with failed scans: unknown on its page, and the diff says it cannot compare', async () => {
    const page = await open(`file://${sites.history}/history.html`);
    const rows = page.locator('table.snapshots tbody tr');
    const failedRow = rows.filter({ has: page.locator('td:last-child', { hasText: /^\d{2}$/ }) });
    await failedRow.first().locator('a').click();
    expect(await cleanElements(page)).toEqual([]);
    expect(await page.locator('[data-cve-verdict]').textContent()).toBe(
      'No CVE comparison is possible: no image has scan data on both sides.',
    );
    expect(await page.locator('[data-diff-unknown]').isVisible()).toBe(true);
    await page.screenshot({
      path: path.join(ARTIFACTS, 'snapshot-archived-failures.png'),
      fullPage: true,
    });
    await page.close();
  });

  it('tells the age of the data against the reader’s clock, and warns when it is stale', async () => {
    // The demo's snapshot is taken at 2026-11-25 12:00 UTC.
    const fresh = await open(`file://${sites.normal}/index.html`, new Date('2026-11-25T14:00:00Z'));
    expect(await fresh.locator('[data-ages] time').first().textContent()).toBe('2 h ago');
    expect(await fresh.locator('[data-ages] time').first().getAttribute('title')).toBe(
      '2026-11-25 12:00 UTC',
    );
    expect(await fresh.locator('[data-stale]').isVisible()).toBe(false);
    await fresh.close();

    const later = await open(
      `file://${sites.normal}/index.html`,
      new Date(Date.parse('2026-11-25T12:00:00Z') + 3 * 24 * HOUR),
    );
    expect(await later.locator('[data-ages] time').first().textContent()).toBe('3 days ago');
    const banner = later.locator('[data-stale]');
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('more than 26 h ago');
    expect(await banner.textContent()).toContain('older than the result TTL (24 h)');
    await later.close();
  });
});
