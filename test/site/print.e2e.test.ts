import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../pipeline/site/model/build-model.ts';
import { formatExact } from '../../src/lib/time.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { buildSiteAndModel } from '../helpers/built-site.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';
import { demoStore } from '../helpers/store-fixture.ts';

// Paper as Chromium prints it by default: background graphics off (page.pdf's default, and
// print media for computed styles). The demo site, served by nginx.

const ARTIFACTS = path.resolve('test-artifacts');
/** An A4 page's width in CSS pixels less Chromium's default margins: where the print layout runs. */
const A4_CONTENT = { width: 718, height: 1000 };

/** WCAG contrast ratio of two rgb()/rgba() colours (alpha ignored: callers pass opaque ones). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/** Pages of a PDF: its page objects. */
const pdfPages = (pdf: Buffer) =>
  (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe('printing with background graphics off', () => {
  let browser: Browser;
  let nginx: TestNginx;
  let site = '';
  let input: SiteInput;

  beforeAll(async () => {
    ({ site, input } = await buildSiteAndModel(await demoStore(3), 'dpk-print-'));
    nginx = await startNginx(site);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
  });

  async function open(file: string, viewport = A4_CONTENT): Promise<Page> {
    const page = await browser.newPage({ viewport, colorScheme: 'dark' });
    await page.goto(`${nginx.url}/${file}`);
    return page;
  }

  it('prints every severity card in legible text, whatever its colour on screen', async () => {
    const page = await open('index.html');
    await page.emulateMedia({ media: 'print' });
    // Each piece of text in a card: its colour, and the paper under it. A background prints only
    // where print-color-adjust is exact; elsewhere the paper is white.
    const texts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.cards .card')].flatMap((card) =>
        [card, ...card.querySelectorAll<HTMLElement>('*')]
          .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
          .map((el) => {
            let paper = 'rgb(255, 255, 255)';
            let opacity = 1;
            for (let at: HTMLElement | null = el; at; at = at.parentElement) {
              const style = getComputedStyle(at);
              opacity *= Number(style.opacity);
              const bg = style.backgroundColor;
              if (
                paper === 'rgb(255, 255, 255)' &&
                style.printColorAdjust === 'exact' &&
                !bg.startsWith('rgba')
              )
                paper = bg;
            }
            return {
              card: card.dataset.severity ?? '',
              text: el.textContent?.trim().slice(0, 30) ?? '',
              color: getComputedStyle(el).color,
              paper,
              opacity,
            };
          }),
      ),
    );
    expect(new Set(texts.map((t) => t.card)).size).toBe(input.model.summary.severities.length);
    const faint = texts
      .map((t) => ({ ...t, ratio: contrast(t.color, t.paper) }))
      .filter((t) => t.ratio < 4.5 || t.opacity < 1);
    expect(faint).toEqual([]);
    await page.pdf({ path: path.join(ARTIFACTS, 'print-home.pdf') });
    await page.close();
  });

  it('heads the paper with the exact build time and the age of the data', async () => {
    const { freshness } = input.model;
    for (const file of ['index.html', `images/${input.model.images[0]!.slug}.html`]) {
      const page = await open(file);
      const stamp = page.locator('[data-print-stamp]');
      expect(await stamp.isVisible()).toBe(false);
      await page.emulateMedia({ media: 'print' });
      expect(await stamp.isVisible()).toBe(true);
      const text = (await stamp.textContent())?.replace(/\s+/g, ' ').trim() ?? '';
      expect(text).toMatch(
        new RegExp(
          `^Built \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC from the snapshot of ${formatExact(freshness.snapshotAt)} \\(\\d+ (min|h|days) old at the build\\)`,
        ),
      );
      // Every relative time in the header ("16 min ago") also prints its exact time.
      const times = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('header.site time')].map((t) => [
          t.title,
          getComputedStyle(t, '::after').content,
        ]),
      );
      expect(times.length).toBeGreaterThan(0);
      for (const [exact, after] of times) expect(after).toBe(`" (${exact})"`);
      await page.close();
    }
  });

  it('prints an image page compactly: CVE ids on one line, many findings to a page', async () => {
    const largest = input.model.images
      .flatMap((i) =>
        i.findings.state === 'listed'
          ? [{ slug: i.slug, ref: i.ref, rows: i.findings.rows.length }]
          : [],
      )
      .sort((a, b) => b.rows - a.rows)
      .slice(0, 2);
    expect(largest.length).toBe(2);
    const measured = [];
    for (const image of largest) {
      const page = await open(`images/${image.slug}.html`);
      const pages = pdfPages(await page.pdf({ format: 'A4' }));
      await page.emulateMedia({ media: 'print' });
      const ids = await page.evaluate(() =>
        [...document.querySelectorAll('table.findings tbody td:first-child a[href*="cves/"]')].map(
          (a) => a.getClientRects().length,
        ),
      );
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((lines) => lines > 1)).toEqual([]);
      measured.push({ image: image.ref, findings: image.rows, pages });
      // Before: 18 A4 pages for jellyfin's 363 findings and 41 for 1,000 (about 20 a page); at
      // least 28 a page now.
      expect(pages, image.ref).toBeLessThanOrEqual(Math.ceil(image.rows / 28) + 1);
      await page.close();
    }
    console.log(
      measured.map((m) => `${m.image}: ${m.findings} findings on ${m.pages} A4 pages`).join('\n'),
    );
    writeFileSync(
      path.join(ARTIFACTS, 'print-pages.json'),
      `${JSON.stringify(measured, null, 2)}\n`,
    );
  });
});
