import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';

const ARTIFACTS = path.resolve('test-artifacts');

// The CVE index, the image pages and the Fix-first page as tools, on the demo (real Trivy reports,
// the real KEV catalogue), in Chromium from file://: search, filters, marks, sort, history.
describe('the CVE index, image pages and Fix first are working tools', () => {
  let browser: Browser;
  let context: BrowserContext;
  let site = '';
  /** The image page of jellyfin (nginx-1.16's report: 363 findings, libssl1.1 from openssl). */
  let jellyfin = '';

  beforeAll(async () => {
    site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-tools-')), 'site');
    const demo = await runCli(['demo', '--site-dir', site, '-q'], {});
    expect(demo.exitCode, demo.stderr).toBe(0);
    const home = readFileSync(path.join(site, 'index.html'), 'utf8');
    jellyfin = /href="(images\/[0-9a-f]{16}\.html)"[^>]*title="jellyfin\/jellyfin:/.exec(home)![1]!;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(() => browser?.close());

  async function open(file: string, query = ''): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`file://${site}/${file}${query}`);
    await page.waitForSelector('form[data-filters]:not([hidden])');
    return page;
  }
  interface Shown {
    id: string;
    sev: string;
    kev: boolean;
    ff: boolean;
    fix: boolean;
    epss: number;
    text: string;
  }
  const visible = (page: Page): Promise<Shown[]> =>
    page.locator('tr[data-f]:not([hidden])').evaluateAll((rows: Element[]) =>
      rows.map((r) => ({
        id: r.getAttribute('data-sort-name') ?? '',
        sev: r.getAttribute('data-sev') ?? '',
        kev: r.hasAttribute('data-kev'),
        ff: r.hasAttribute('data-ff'),
        fix: r.hasAttribute('data-fix'),
        epss: Number(r.getAttribute('data-sort-epss')),
        text: `${r.textContent ?? ''} ${r.getAttribute('data-q') ?? ''}`,
      })),
    );
  const count = (page: Page): Promise<string | null> => page.locator('[data-count]').textContent();

  it('the CVE index filtered to Fix first is the whole list, each row marked', async () => {
    const fixFirstPage = readFileSync(path.join(site, 'fix-first.html'), 'utf8');
    const listed = [...fixFirstPage.matchAll(/data-fix-item="([^"]+)"/g)].map((m) => m[1]!);
    const total = Number(/Fix first \((\d+)\)/.exec(fixFirstPage)![1]);
    expect(listed.length).toBe(total);
    expect(total).toBeGreaterThan(10);

    const page = await open('cves.html', '?fixfirst=1');
    const rows = await visible(page);
    const all = await page.locator('tr[data-f]').count();
    console.log(`CVE index: ${all} CVEs, ${rows.length} on Fix first; ${await count(page)}`);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(listed));
    expect(rows.every((r) => r.ff && r.text.includes('Fix first'))).toBe(true);
    expect(await count(page)).toBe(`${rows.length} of ${all.toLocaleString('en')} CVEs`);
    // The demo's three KEV vulnerabilities carry the mark in their rows.
    const kev = rows.filter((r) => r.kev);
    expect(kev.map((r) => r.id).sort()).toEqual(
      ['CVE-2020-15999', 'CVE-2023-4863', 'CVE-2025-24813'].sort(),
    );
    expect(kev.every((r) => /KEV/.test(r.text))).toBe(true);
    await page.close();
  });

  it('the CVE index searches ids, aliases, packages and source packages, and filters', async () => {
    const page = await open('cves.html');
    const box = page.locator('input[name="q"]');
    // Debian's advisory DSA-4963-1 fixed two OpenSSL CVEs: both are found by it, nothing else.
    await box.fill('DSA-4963-1');
    expect((await visible(page)).map((r) => r.id).sort()).toEqual([
      'CVE-2021-3711',
      'CVE-2021-3712',
    ]);
    await box.fill('openssl');
    const openssl = await visible(page);
    expect(openssl.map((r) => r.id)).toContain('CVE-2021-3711');
    await box.fill('');
    await page.locator('select[name="sev"]').selectOption('critical');
    await page.locator('input[name="kev"]').check();
    const critKev = await visible(page);
    expect(critKev.length).toBeGreaterThan(0);
    expect(critKev.every((r) => r.sev === 'critical' && r.kev)).toBe(true);
    expect(page.url()).toMatch(/sev=critical/);
    expect(page.url()).toMatch(/kev=1/);
    // Back undoes the last filter (each change is a history entry).
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('kev=1'));
    expect(await page.locator('input[name="kev"]').isChecked()).toBe(false);
    expect((await visible(page)).every((r) => r.sev === 'critical')).toBe(true);
    expect((await visible(page)).some((r) => !r.kev)).toBe(true);

    await page.locator('input[type="reset"], button[type="reset"]').click();
    await page.locator('select[name="epss"]').selectOption('0.5');
    await page.locator('input[name="fixable"]').check();
    const likely = await visible(page);
    expect(likely.length).toBeGreaterThan(0);
    expect(likely.every((r) => r.epss >= 0.5 && r.fix)).toBe(true);
    // Sorting by EPSS, highest first.
    await page.locator('button[data-sort="epss"]').click();
    const sorted = (await visible(page)).map((r) => r.epss);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    expect(page.url()).toMatch(/sort=epss&dir=desc/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'cve-index-filtered.png') });
    await page.close();
  });

  it('an image page lists known exploited first, and searches its findings', async () => {
    const page = await open(jellyfin);
    const rows = await visible(page);
    expect(rows.length).toBe(363);
    expect(await page.locator('[data-count]').isHidden()).toBe(true);
    // KEV first, then by severity.
    const firstNonKev = rows.findIndex((r) => !r.kev);
    expect(rows[0]!.kev).toBe(true);
    expect(rows.slice(firstNonKev).every((r) => !r.kev)).toBe(true);
    const ranks = rows
      .slice(firstNonKev)
      .map((r) => ['critical', 'high', 'medium', 'low', 'unknown'].indexOf(r.sev));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    await page.locator('input[name="q"]').fill('openssl');
    const openssl = await visible(page);
    expect(openssl.length).toBeGreaterThan(0);
    expect(openssl.map((r) => r.id)).toContain('CVE-2021-3711');
    expect(openssl.every((r) => /openssl|libssl/i.test(r.text))).toBe(true);
    expect(await count(page)).toBe(`${openssl.length} of 363 findings`);
    // An alias and a package URL find it too.
    await page.locator('input[name="q"]').fill('dsa-4963-1');
    const advisory = await visible(page);
    expect(advisory.map((r) => r.id)).toContain('CVE-2021-3711');
    expect(advisory.every((r) => r.text.includes('DSA-4963-1'))).toBe(true);
    await page.locator('input[name="q"]').fill('pkg:deb/debian/libssl1.1@1.1.1d-0+deb10u3');
    expect((await visible(page)).map((r) => r.id)).toContain('CVE-2021-3711');

    await page.locator('input[name="q"]').fill('');
    await page.locator('select[name="sev"]').selectOption('critical');
    await page.locator('input[name="fixable"]').check();
    const critical = await visible(page);
    expect(critical.every((r) => r.sev === 'critical' && r.fix)).toBe(true);
    expect(await count(page)).toBe(`${critical.length} of 363 findings`);
    // Every cell names its column for the phone's cards.
    const unlabelled = await page.locator('table.findings tbody td:not([data-label])').count();
    expect(unlabelled).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'image-page-filtered.png') });
    await page.close();
  });

  it('a filtered image page is restored from its URL', async () => {
    const page = await open(jellyfin, '?q=openssl&sev=critical');
    const rows = await visible(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.sev === 'critical' && /openssl|libssl/i.test(r.text))).toBe(true);
    expect(await page.locator('input[name="q"]').inputValue()).toBe('openssl');
    await page.close();
  });

  it('the home page links to the whole Fix-first list, and its search finds source packages', async () => {
    const page = await context.newPage();
    await page.goto(`file://${site}/index.html`);
    const all = page.locator('[data-fix-first-all]');
    expect(await all.getAttribute('href')).toBe('fix-first.html');
    await all.click();
    await page.waitForURL(/fix-first\.html$/);
    const items = await page.locator('[data-fix-item]').count();
    expect(await page.locator('h1').textContent()).toBe(`Fix first (${items})`);
    // Its container links go back to the rows of the home page.
    const where = await page.locator('[data-fix-item] .where a').first().getAttribute('href');
    expect(where).toMatch(/^index\.html#/);

    await page.goto(`file://${site}/index.html`);
    await page.waitForSelector('#containers form[data-filters]:not([hidden])');
    await page.locator('#containers input[name="q"]').focus();
    await page.locator('#containers input[name="q"]').fill('openssl');
    await page.waitForFunction(
      () => !document.querySelector('[data-search-note]')?.hasAttribute('hidden'),
    );
    const names = await page
      .locator('#containers tr[data-row]:not([hidden]) .cname')
      .allTextContents();
    expect(names).toContain('jellyfin');
    expect(await page.locator('[data-search-note]').textContent()).toMatch(
      /libssl1\.1 \(openssl\)/,
    );
    await page.close();
  });

  it('fits laptop and desktop widths without scrolling sideways, filtered or not', async () => {
    for (const width of [800, 1024, 1280, 1600])
      for (const file of ['cves.html', jellyfin, `${jellyfin}?sev=critical`]) {
        const page = await context.newPage();
        await page.setViewportSize({ width, height: 800 });
        const [name, query] = file.split('?');
        await page.goto(`file://${site}/${name}${query ? `?${query}` : ''}`);
        await page.waitForSelector('form[data-filters]:not([hidden])');
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide, `${file} at ${width}px`).toBeLessThanOrEqual(width);
        // No cell overlaps another: a column never spills into the next (as a table row, or as
        // a card below 900 px, where cells wrap onto lines of their own: phone.css).
        const spill = await page
          .locator('tr[data-f]:not([hidden])')
          .first()
          .evaluate((row: Element) => {
            const cells = [...row.children]
              .map((c) => c.getBoundingClientRect())
              .filter((r) => r.width > 0 && r.height > 0);
            const overlap = (a: DOMRect, b: DOMRect) =>
              Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
              Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
            return cells.some((c, i) => cells.slice(0, i).some((d) => overlap(c, d)));
          });
        expect(spill, `${file} at ${width}px`).toBe(false);
        await page.close();
      }
  });

  it('has no axe-core violations (WCAG 2.2 AA) of its own, light and dark, filtered or not', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Filtered views: the same markup per row as the whole lists, a fraction of axe's time.
    const pages = [
      'cves.html?fixfirst=1',
      'fix-first.html',
      `${jellyfin}?sev=critical`,
      'cves/CVE-2021-3711.html',
    ];
    const found: string[] = [];
    for (const colorScheme of ['dark', 'light'] as const)
      for (const file of pages) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme });
        await page.goto(`file://${site}/${file}`);
        await page.addScriptTag({ content: axe });
        const ids = await page.evaluate(async () => {
          const run = (
            window as unknown as {
              axe: {
                run: (
                  ...a: unknown[]
                ) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }>;
              };
            }
          ).axe.run;
          const result = await run(document, {
            runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
          });
          return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
        });
        for (const id of ids) found.push(`${colorScheme} ${file}: ${id}`);
        await page.close();
      }
    expect(found).toEqual([]);
  });

  it('without JavaScript every row stays visible and no filter is shown', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const page = await plain.newPage();
    await page.goto(`file://${site}/cves.html?fixfirst=1`);
    expect(await page.locator('form[data-filters]').isHidden()).toBe(true);
    const total = await page.locator('tr[data-f]').count();
    expect(await page.locator('tr[data-f]:not([hidden])').count()).toBe(total);
    await page.goto(`file://${site}/${jellyfin}?sev=critical`);
    expect(await page.locator('tr[data-f]:visible').count()).toBe(363);
    await plain.close();
  });
});
