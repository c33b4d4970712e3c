import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../pipeline/site/model/build-model.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { buildSiteAndModel } from '../helpers/built-site.ts';
import { demoStore } from '../helpers/store-fixture.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

// The demo dashboard on a phone, a desktop and paper, the CVE pages and the fleet-wide search,
// checked against the same site model the build renders (built here from the same store).
describe('the dashboard on any screen, CVE pages and search', () => {
  let browser: Browser;
  let site = '';
  let input: SiteInput;

  beforeAll(async () => {
    ({ site, input } = await buildSiteAndModel(await demoStore(3), 'dpk-screens-'));
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(() => browser?.close());

  async function open(page: string, viewport = DESKTOP, query = ''): Promise<Page> {
    const tab = await browser.newPage({ viewport, colorScheme: 'dark' });
    await tab.clock.setFixedTime(new Date('2026-11-25T12:30:00Z'));
    await tab.goto(`file://${site}/${page}${query}`);
    return tab;
  }

  /** Every badge of the visible rows lies inside the viewport's width and is not hidden. */
  async function expectBadgesVisible(page: Page): Promise<void> {
    const outside = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll<HTMLElement>('tr[data-row] .badge')]
        .map((b) => b.getBoundingClientRect())
        .filter((r) => r.width === 0 || r.left < 0 || r.right > width).length;
    });
    expect(outside).toBe(0);
  }

  it.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])('fits the %s: no horizontal scroll, every badge visible', async (name, viewport) => {
    const page = await open('index.html', viewport);
    const [scroll, client] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      document.documentElement.clientWidth,
    ]);
    expect(scroll).toBeLessThanOrEqual(client);
    await expectBadgesVisible(page);
    expect(await page.locator('tr[data-row]').count()).toBe(input.model.table.total);
    if (name === 'phone') {
      await page.screenshot({ path: path.join(ARTIFACTS, 'phone-home.png') });
      const anchor = page.locator('#c-server-gluetun');
      expect(await anchor.evaluate((el) => getComputedStyle(el).display)).toBe('grid');
      await anchor.scrollIntoViewIfNeeded();
      await anchor.screenshot({ path: path.join(ARTIFACTS, 'phone-anchor-card.png') });
    } else {
      await page.screenshot({ path: path.join(ARTIFACTS, 'demo-home-1440.png') });
    }
    await page.close();
  });

  it('prints light, every row, no filters, with letters on every badge', async () => {
    const page = await open('index.html', DESKTOP, '?sev=critical');
    expect(await page.locator('tr[data-row]:visible').count()).toBeLessThan(
      input.model.table.total,
    );
    await page.emulateMedia({ media: 'print' });
    // Paper gets every row (the table renders them all when the print media starts to match).
    await expect
      .poll(() => page.locator('tr[data-row]:visible').count())
      .toBe(input.model.table.total);
    expect(await page.locator('form[data-filters]').isVisible()).toBe(false);
    expect(await page.locator('.print-only').first().isVisible()).toBe(true);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)']).toContain(bg);
    for (const text of await page.locator('tr[data-row] .badge').allTextContents())
      expect(text.trim()).toMatch(/^[CHMLU] \d+$/);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'print-first-page.png') });
    await page.close();
  });

  it('lists, on the page of a CVE in two images, both images and all their containers', async () => {
    const cve = input.model.cves.find((c) => c.images.length >= 2)!;
    expect(cve).toBeDefined();
    const page = await open(`cves/${cve.slug}.html`);
    expect(await page.locator('h1').textContent()).toBe(cve.id);
    const images = await page.locator('ul.images > li > a').allTextContents();
    expect(images).toEqual(cve.images.map((i) => i.ref));
    const containers = await page
      .locator('[data-container]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-container')));
    expect(containers.sort()).toEqual(
      cve.images.flatMap((i) => i.containers.map((c) => `${c.host}/${c.name}`)).sort(),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'cve-page.png'), fullPage: true });
    // An image page's finding links to the CVE's page.
    await page.locator('ul.images > li > a').first().click();
    expect(await page.locator(`a[href="../cves/${cve.slug}.html"]`).count()).toBeGreaterThan(0);
    await page.close();
  });

  /** The rows whose images carry the CVE id, or a package whose name contains `text`. */
  function expectedRows(match: (f: { id: string; pkg: string }) => boolean): string[] {
    const slugs = new Set(
      input.model.search.cves.flatMap((c) =>
        match({ id: c.id, pkg: '' }) ? c.images.map((i) => input.model.search.images[i]!) : [],
      ),
    );
    // A package is also found by its source package and package URLs (the entry's third part).
    for (const [name, list, also] of input.model.search.packages)
      if (match({ id: '', pkg: name }) || (also && match({ id: '', pkg: also })))
        for (const i of list) slugs.add(input.model.search.images[i]!);
    return input.model.table.groups
      .flatMap((g) => g.rows)
      .filter((r) => r.imageSlug && slugs.has(r.imageSlug))
      .map((r) => r.domId)
      .sort();
  }

  /** What the search box shows for a package name: rows whose text or whose image matches it. */
  function searchedRows(text: string): string[] {
    const byText = input.model.table.groups
      .flatMap((g) => g.rows)
      .filter((r) => r.search.includes(text))
      .map((r) => r.domId);
    return [...new Set([...expectedRows((f) => f.pkg.includes(text)), ...byText])].sort();
  }

  it('finds a CVE id across the fleet: exactly the rows whose images carry it', async () => {
    const cve = input.model.cves.find((c) => c.containers >= 3 && c.severity === 'critical')!;
    const page = await open('index.html');
    await page.getByLabel('Search').fill(cve.id);
    const note = page.locator('[data-search-note]');
    await expect.poll(() => note.isVisible()).toBe(true);
    const shown = await page
      .locator('tr[data-row]:visible')
      .evaluateAll((rows) => rows.map((r) => r.id).sort());
    expect(shown).toEqual(expectedRows((f) => f.id === cve.id));
    expect(await note.locator('a').getAttribute('href')).toMatch(
      new RegExp(`cves/${cve.slug}\\.html$`),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-cve.png') });
    await page.close();
  });

  it('finds a vulnerable package across the fleet: exactly the rows whose images carry it', async () => {
    const page = await open('index.html');
    await page.getByLabel('Search').fill('openssl');
    await expect.poll(() => page.locator('[data-search-note]').isVisible()).toBe(true);
    const shown = await page
      .locator('tr[data-row]:visible')
      .evaluateAll((rows) => rows.map((r) => r.id).sort());
    const expected = searchedRows('openssl');
    expect(expected.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);
    await page.close();
  });

  it('loads the index when the search box is focused, then filters by it in the keystroke itself', async () => {
    const page = await open('index.html');
    const box = page.getByLabel('Search');
    await box.focus();
    await page.waitForFunction(() => 'dockpeekSearch' in window);
    const after = await box.evaluate((el: HTMLInputElement) => {
      el.value = 'openssl';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      // Read before any other task or microtask: what this keystroke's own filtering shows.
      const rows = [...document.querySelectorAll<HTMLElement>('tr[data-row]')];
      return {
        shown: rows.filter((r) => !r.hidden).map((r) => r.id),
        note: !document.querySelector<HTMLElement>('[data-search-note]')!.hidden,
      };
    });
    expect(after.note).toBe(true);
    expect(after.shown.sort()).toEqual(searchedRows('openssl'));
    await page.close();
  });

  it('keeps tooltips inside the viewport, near the right edge too', async () => {
    const page = await open('index.html');
    for (const trigger of await page.locator('td.update .tip > [tabindex]').all()) {
      await trigger.focus();
      const box = await page
        .locator('.tip:focus-within > [role="tooltip"]')
        .evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(DESKTOP.width);
    }
    await page.close();
  });

  it('orders "worst first" across hosts exactly as the model weighs rows', async () => {
    const page = await open('index.html', DESKTOP, '?view=worst');
    const order = await page.locator('tr[data-row]').evaluateAll((rows) => rows.map((r) => r.id));
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    const expected = rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => b.r.weight - a.r.weight || a.i - b.i)
      .map(({ r }) => r.domId);
    expect(order).toEqual(expected);
    expect(await page.locator('tr.group:visible').count()).toBe(0);
    await page.close();
  });

  it('orders "needs attention" by tier, then worst first, as the model ranks rows', async () => {
    const page = await open('index.html', DESKTOP, '?view=attention');
    const order = await page.locator('tr[data-row]').evaluateAll((rows) => rows.map((r) => r.id));
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    const expected = rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => b.r.attention - a.r.attention || b.r.weight - a.r.weight || a.i - b.i)
      .map(({ r }) => r.domId);
    expect(order).toEqual(expected);
    // Not the same as worst first: the demo's failed scans rank above clean rows here.
    const worst = [...expected].sort(
      (a, b) => rows.find((r) => r.domId === b)!.weight - rows.find((r) => r.domId === a)!.weight,
    );
    expect(order).not.toEqual(worst);
    await page.close();
  });

  it('filters by a summary card when it is clicked', async () => {
    const page = await open('index.html');
    await page.locator('a.card[data-severity="high"]').click();
    expect(new URL(page.url()).searchParams.get('sev')).toBe('high');
    const rows = page.locator('tr[data-row]:visible');
    expect(await rows.count()).toBe(
      input.model.table.groups.flatMap((g) => g.rows).filter((r) => r.severities.includes('high'))
        .length,
    );
    await page.close();
  });

  it('serves a search index small enough for the page-weight budget', () => {
    const index = readFileSync(path.join(site, 'assets', 'search-index.js'));
    expect(index.length).toBeGreaterThan(100);
  });
});
