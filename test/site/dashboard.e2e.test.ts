import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';
import { HOSTILE_TEXT, HOSTILE_TITLE, createSiteFixture } from '../helpers/site-fixture.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const PALETTE = {
  'sev-critical': ['rgb(127, 29, 29)', 'rgb(252, 165, 165)'],
  'sev-high': ['rgb(120, 53, 15)', 'rgb(252, 211, 77)'],
  'sev-medium': ['rgb(22, 78, 99)', 'rgb(103, 232, 249)'],
  'sev-low': ['rgb(30, 58, 95)', 'rgb(147, 197, 253)'],
  'vuln-clean': ['rgb(20, 83, 45)', 'rgb(134, 239, 172)'],
};

describe('the dashboard in Chromium, served by nginx and from file://', () => {
  let siteDir: string;
  let nginx: TestNginx;
  let browser: Browser;
  const foreign: string[] = [];
  const dialogs: string[] = [];

  /** A page that records requests to other origins and any dialog. */
  async function open(url: string, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, ...options });
    page.on('request', (r) => {
      const u = r.url();
      if (!(u.startsWith(nginx.url) || u.startsWith('file://') || u.startsWith('data:')))
        foreign.push(u);
    });
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    await page.goto(url);
    return page;
  }
  const visibleRows = (page: Page) => page.locator('tr[data-row]:visible');

  beforeAll(async () => {
    const dataDir = await createSiteFixture();
    siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-www-')), 'site');
    const build = await runCli(['build', '--data-dir', dataDir, '--site-dir', siteDir], {});
    expect(build.exitCode, build.stderr).toBe(0);
    nginx = await startNginx(siteDir);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
  });

  it('paints every badge in the exact palette, letters and counts included', async () => {
    const page = await open(`${nginx.url}/index.html`);
    for (const [cls, [bg, fg]] of Object.entries(PALETTE)) {
      const badge = page.locator(`tr[data-row] .badge.${cls}`).first();
      const style = await badge.evaluate((el) => [
        getComputedStyle(el).backgroundColor,
        getComputedStyle(el).color,
      ]);
      expect(style, cls).toEqual([bg, fg]);
      expect(await badge.textContent()).toMatch(/^[CHML] \d+$/);
    }
    await page.close();
  });

  it('shows clean rows all green', async () => {
    const page = await open(`${nginx.url}/index.html`);
    const clean = page.locator('tr[data-state="clean"]');
    expect(await clean.count()).toBe(7);
    for (const row of await clean.all()) {
      const badges = row.locator('.badge');
      expect(await badges.count()).toBe(4);
      expect(await row.locator('.badge.vuln-clean').count()).toBe(4);
    }
    await page.close();
  });

  it('shows a failed scan as × with its tooltip and reason, reachable by keyboard', async () => {
    const page = await open(`${nginx.url}/index.html`);
    const row = page.locator('tr[data-row]', {
      has: page.getByText('dockpeek-security', { exact: true }),
    });
    const cross = row.locator('.scan-failed');
    expect((await cross.textContent())?.trim()).toBe('×');
    const tip = page.locator(`#${await cross.getAttribute('aria-describedby')}`);
    expect(await tip.isVisible()).toBe(false);
    await cross.focus();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain('Scan failed – image may be inaccessible');
    expect(await tip.textContent()).toContain('image_unavailable: run error: image scan error');
    await page.close();
  });

  it('tells dependents what they depend on, and marks inferred links', async () => {
    const page = await open(`${nginx.url}/index.html`);
    const tipOf = async (name: string) => {
      const row = page.locator('tr[data-row]', { has: page.getByText(name, { exact: true }) });
      const trigger = row.locator('.dep-marker');
      return page.locator(`#${await trigger.getAttribute('aria-describedby')}`).textContent();
    };
    expect(await tipOf('qbittorrent')).toBe('Depends on: gluetun (network)');
    expect(await tipOf('prowlarr')).toBe('Depends on: gluetun (network) — inferred, not labelled');
    expect(await tipOf('nextcloud')).toBe('Depends on: postgres (database)');
    const gluetun = page.locator('tr[data-row]', {
      has: page.getByText('gluetun', { exact: true }),
    });
    expect(await gluetun.locator('.anchor-icon svg').count()).toBe(1);
    await page.close();
  });

  it('reaches tooltips with the Tab key alone', async () => {
    const page = await open(`${nginx.url}/index.html`);
    let reached = '';
    // Past the summary cards, the Fix-first links and the filters: the first row tooltip.
    for (let i = 0; i < 200 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => {
        const id = document.activeElement?.getAttribute('aria-describedby');
        const tip = id ? document.getElementById(id) : null;
        return tip && getComputedStyle(tip).display !== 'none' ? (tip.textContent ?? '') : '';
      });
    }
    expect(reached).not.toBe('');
    await page.close();
  });

  it('filters and searches, keeps the state in the URL, and restores it', async () => {
    const page = await open(`${nginx.url}/index.html`);
    expect(await visibleRows(page).count()).toBe(45);
    await page.getByLabel('Search').fill('sonarr');
    // Search covers the anchor too: overseerr depends on sonarr (in the needs-attention order).
    expect((await visibleRows(page).locator('.cname').allTextContents()).sort()).toEqual([
      'overseerr',
      'sonarr',
    ]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('sonarr');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Scan state').selectOption('failed');
    expect(await visibleRows(page).count()).toBe(3);
    await page.getByLabel('Host').selectOption('nas');
    expect(await visibleRows(page).count()).toBe(1);
    expect(page.url()).toContain('state=failed');
    expect(page.url()).toContain('host=nas');
    await page.reload();
    expect(await visibleRows(page).count()).toBe(1);
    expect(await page.getByLabel('Scan state').inputValue()).toBe('failed');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel('Fixable only').check();
    const rows = await visibleRows(page).all();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(await row.getAttribute('data-severities')).toContain('critical');
      expect(await row.getAttribute('data-fixable')).toBe('true');
    }
    expect(page.url()).toContain('fixable=1');
    await page.close();
  });

  it('sorts by CVEs, worst first', async () => {
    const page = await open(`${nginx.url}/index.html?host=server&view=grouped`);
    await page.getByRole('button', { name: 'CVEs' }).click();
    expect(page.url()).toContain('sort=severity');
    const weights = await page
      .locator('tbody')
      .first()
      .locator('tr[data-row]')
      .evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.sortSeverity)));
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    await page.close();
  });

  it('renders hostile values as text and runs none of them', async () => {
    const page = await open(`${nginx.url}/index.html`);
    expect(await page.getByText(HOSTILE_TEXT).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    const imagePage = await open(
      `${nginx.url}/${await page.locator('a', { hasText: 'evil/app:1' }).getAttribute('href')}`,
    );
    expect(await imagePage.getByText(HOSTILE_TITLE).count()).toBe(1);
    expect(dialogs).toEqual([]);
    await page.close();
    await imagePage.close();
  });

  it('shows an image page with the most severe findings first, linked ids, and its containers', async () => {
    const page = await open(`${nginx.url}/index.html`);
    await page.locator('a', { hasText: 'evil/app:1' }).click();
    expect(page.url()).toMatch(/\/images\/[0-9a-f]{16}\.html$/);
    const ids = await page
      .locator('table.findings tbody tr td:first-child > a:first-child')
      .allTextContents();
    // Known exploited first, then by severity: the critical one without a fix before the high one.
    expect(ids).toEqual(['CVE-2099-0002', 'CVE-2099-0001']);
    // The id opens the CVE's own page; the advisory is a separate http(s) link.
    expect(await page.locator('a', { hasText: 'CVE-2099-0001' }).getAttribute('href')).toBe(
      '../cves/CVE-2099-0001.html',
    );
    expect(await page.locator('a.advisory').first().getAttribute('href')).toBe(
      'https://avd.aquasec.com/nvd/cve-2099-0001',
    );
    expect(await page.getByText('hostile', { exact: true }).count()).toBe(1);
    await page.getByText('← All containers').click();
    expect(page.url()).toBe(`${nginx.url}/index.html`);
    await page.close();
  });

  it('works under a sub-path and from file://, and with JavaScript off', async () => {
    const sub = await open(`${nginx.url}/dockpeek/index.html`);
    await sub.locator('a', { hasText: 'nginx:1.27.3' }).first().click();
    expect(sub.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dockpeek\/images\/[0-9a-f]{16}\.html$/);
    expect(await sub.locator('h1').textContent()).toBe('nginx:1.27.3');
    await sub.close();

    const file = await open(`file://${siteDir}/index.html`);
    await file.getByLabel('Search').fill('gluetun');
    expect(await visibleRows(file).count()).toBe(5);
    await file.locator('a', { hasText: 'qmcgaw/gluetun' }).click();
    expect(await file.locator('h1').textContent()).toBe('qmcgaw/gluetun:v3.39.1');
    await file.close();

    const noJs = await open(`${nginx.url}/index.html?q=sonarr`, { javaScriptEnabled: false });
    expect(await visibleRows(noJs).count()).toBe(45);
    expect(await noJs.locator('form[data-filters]').isVisible()).toBe(false);
    await noJs.close();
  });

  it('warns on an anchor with an update: amber arrow, "Updating will affect N dependents", and a plan', async () => {
    const page = await open(`${nginx.url}/index.html?stack=vpn`, { colorScheme: 'dark' });
    const arrow = page
      .locator('tr[data-row]', { has: page.getByText('gluetun', { exact: true }) })
      .locator('.update-arrow');
    expect(await arrow.getAttribute('class')).toContain('anchor-warning');
    expect(await arrow.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(245, 196, 107)');
    const tip = page.locator(`#${await arrow.getAttribute('aria-describedby')}`);
    await arrow.focus();
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(
      /^Updating will affect 4 dependents: flaresolverr, prowlarr, qbittorrent, sabnzbd\nUpdate available/,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'anchor-update-tooltip.png') });
    const plain = page
      .locator('tr[data-row]', { has: page.getByText('grafana', { exact: true }) })
      .locator('.update-arrow');
    await page.goto(`${nginx.url}/index.html?stack=monitoring`);
    expect(await plain.getAttribute('class')).not.toContain('anchor-warning');
    // The plans have their own page, linked below the table.
    await page.locator('[data-plans-link] a').click();
    await page.waitForURL(/plans\.html$/);
    const plan = page.locator('details[data-anchor="gluetun"]');
    await plan.locator('summary').click();
    expect(await plan.locator('li').allTextContents()).toEqual([
      'Stop the dependents: flaresolverr, prowlarr, qbittorrent, sabnzbd.',
      'Pull qmcgaw/gluetun:v3.39.1 and recreate gluetun.',
      'Wait until gluetun reports healthy.',
      "Recreate flaresolverr, prowlarr, qbittorrent, sabnzbd (they share gluetun's network namespace, so a restart is not enough).",
      'Wait until flaresolverr is running; until prowlarr is running; until qbittorrent is running; until sabnzbd is running.',
    ]);
    await page.close();
  });

  it('requests nothing from any other origin', () => {
    expect(foreign).toEqual([]);
  });

  it('saves screenshots of the home page (dark, light) and an image page', async () => {
    for (const scheme of ['dark', 'light'] as const) {
      const page = await open(`${nginx.url}/index.html`, { colorScheme: scheme });
      await page.screenshot({ path: path.join(ARTIFACTS, `home-${scheme}.png`), fullPage: false });
      await page.close();
    }
    const page = await open(`${nginx.url}/index.html`, { colorScheme: 'dark' });
    await page.locator('a', { hasText: 'jellyfin/jellyfin' }).click();
    await page.screenshot({ path: path.join(ARTIFACTS, 'image-page-dark.png'), fullPage: true });
    await page.close();
  });
});
