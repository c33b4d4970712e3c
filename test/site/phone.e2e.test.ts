import { mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const WIDTH = 360;
const HEIGHT = 740;
const PHONE = {
  viewport: { width: WIDTH, height: HEIGHT },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
/** WCAG 2.5.5's target size, which issue 26 aims at on a touch screen. */
const TARGET = 44;

/** In the browser: elements whose visible box crosses the viewport's sides, and scroll containers. */
function measureWidth(): { scrollWidth: number; outside: string[]; scrollers: string[] } {
  const width = document.documentElement.clientWidth;
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''}`;
  const outside: string[] = [];
  const scrollers: string[] = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth)
      scrollers.push(describe(el));
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Hidden on purpose: clipped to nothing (a visually hidden label), or placed wholly off the
    // left edge (a skip link until it has focus). Neither can widen the page.
    if (style.clipPath !== 'none' || style.clip.startsWith('rect(')) continue;
    if (box.right <= 0 && ['absolute', 'fixed'].includes(style.position)) continue;
    // What the user sees of it: its box cut by every ancestor that clips (an ellipsis, a visually
    // hidden label).
    let [left, right] = [box.left, box.right];
    for (let up = el.parentElement; up && right > left; up = up.parentElement) {
      const s = getComputedStyle(up);
      if (s.overflowX === 'visible' && s.clipPath === 'none') continue;
      const clip = up.getBoundingClientRect();
      [left, right] = [Math.max(left, clip.left), Math.min(right, clip.right)];
    }
    if (right > left && (left < -0.5 || right > width + 0.5))
      outside.push(`${describe(el)} [${Math.round(left)}, ${Math.round(right)}]`);
  }
  return { scrollWidth: document.scrollingElement!.scrollWidth, outside, scrollers };
}

/** In the browser: visible controls whose target (a checkbox's: its label) is under `min` px. */
function smallTargets(min: number): string[] {
  const controls = document.querySelectorAll<HTMLElement>(
    'button, select, input:not([type="hidden"]), textarea, summary, [tabindex="0"], nav a, td a, th a',
  );
  const small: string[] = [];
  for (const el of controls) {
    const input = el as HTMLInputElement;
    const target =
      el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(input.type)
        ? (input.labels?.[0] ?? el)
        : el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    // Not on view, or out of reach on purpose (as in measureWidth): nothing to tap.
    if (box.width === 0 || style.visibility === 'hidden' || style.clipPath !== 'none') continue;
    if (box.right <= 0 && ['absolute', 'fixed'].includes(style.position)) continue;
    if (box.height < min - 0.5 || box.width < min - 0.5)
      small.push(
        `${el.tagName.toLowerCase()} "${(el.textContent ?? input.name ?? '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  }
  return small;
}

/** Build the demo (real KEV catalogue, EPSS scores, accepted risk) with the CLI; its site folder. */
async function buildDemo(args: string[]): Promise<string> {
  const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-phone-')), 'site');
  const demo = await runCli(['demo', '--quiet', '--days', '3', ...args, '--site-dir', site], {});
  expect(demo.exitCode, demo.stderr).toBe(0);
  return site;
}

/** The page types of a built site: [label, file]. Image pages are found by what they show. */
function pageTypes(site: string, images: boolean): [string, string][] {
  const read = (file: string) => readFileSync(path.join(site, file), 'utf8');
  // Every page at the root: index, CVE index, history, accepted, and any page added later.
  const roots = readdirSync(site)
    .filter((f) => f.endsWith('.html'))
    .map((f): [string, string] => [f.replace(/\.html$/, ''), f]);
  if (!images) return roots;
  const imagePages = readdirSync(path.join(site, 'images')).map((f) => `images/${f}`);
  const withMarker = (label: string, marker: string): [string, string] => {
    const file = imagePages.find((f) => read(f).includes(marker));
    expect(file, `an image page with ${marker}`).toBeDefined();
    return [label, file!];
  };
  const rows = (f: string) => read(f).split('<tr data-row').length;
  const most = imagePages.reduce((a, b) => (rows(b) > rows(a) ? b : a));
  const fixFirst = /href="cves\/(CVE-[^"]+)\.html"/.exec(read('index.html'));
  expect(fixFirst, 'a CVE page linked from the home page').not.toBeNull();
  return [
    ...roots,
    ['image, most findings', most],
    withMarker('image, failed scan', 'class="failure"'),
    withMarker('image, clean', 'class="clean-note"'),
    withMarker('image, accepted risk', 'data-accepted'),
    ['CVE', `cves/${fixFirst![1]}.html`],
    ['snapshot', `history/${readdirSync(path.join(site, 'history'))[0]}`],
  ];
}

// Issue 26, item 6: the demo (44 containers) and 1,000 containers on a 360 x 740 touch screen.
describe('every page on a 360 px phone', () => {
  let browser: Browser;
  let phone: BrowserContext;
  /** [label, file, site] for each page type of both sites. */
  let pages: [string, string, string][] = [];

  beforeAll(async () => {
    const [demo, fleet] = await Promise.all([buildDemo([]), buildDemo(['--containers', '1000'])]);
    pages = [
      ...pageTypes(demo, true).map(([label, file]): [string, string, string] => [
        label,
        file,
        demo,
      ]),
      ...pageTypes(fleet, false).map(([label, file]): [string, string, string] => [
        `${label}, 1,000 containers`,
        file,
        fleet,
      ]),
    ];
    browser = await launchBrowser();
    phone = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);
  afterAll(() => browser?.close());

  async function open(file: string, site: string): Promise<Page> {
    const tab = await phone.newPage();
    await tab.goto(`file://${site}/${file}`);
    return tab;
  }

  /** The page of a type, by its label. */
  function pageOf(label: string): [string, string] {
    const found = pages.find(([l]) => l === label);
    expect(found, label).toBeDefined();
    return [found![1], found![2]];
  }

  it('has every page type to check', () => {
    const labels = pages.map(([label]) => label);
    for (const page of ['index', 'cves', 'history', 'accepted'])
      expect(labels).toEqual(expect.arrayContaining([page, `${page}, 1,000 containers`]));
    expect(labels).toHaveLength(new Set(labels).size);
  });

  /** Run `check` on every page type; the pages where it found something, with what it found. */
  async function onEveryPage<T>(
    check: (page: Page, label: string) => Promise<T[]>,
  ): Promise<Record<string, T[]>> {
    const found: Record<string, T[]> = {};
    for (const [label, file, site] of pages) {
      const page = await open(file, site);
      const problems = await check(page, label);
      if (problems.length > 0) found[label] = problems.slice(0, 8);
      await page.close();
    }
    return found;
  }

  it('is no wider than the viewport: no sideways scroll, no box past an edge, no scroll box', async () => {
    const widths: Record<string, number> = {};
    const found = await onEveryPage(async (page, label) => {
      const { scrollWidth, outside, scrollers } = await page.evaluate(measureWidth);
      widths[label] = scrollWidth;
      if (label === 'index, 1,000 containers')
        await page.screenshot({ path: path.join(ARTIFACTS, 'phone-360-home-1000.png') });
      return [
        ...(scrollWidth > WIDTH ? [`page ${scrollWidth} px wide`] : []),
        ...outside,
        ...scrollers.map((s) => `scrolls sideways: ${s}`),
      ];
    });
    expect(found).toEqual({});
    expect(Object.keys(widths)).toHaveLength(pages.length);
  });

  it('fits a phone held sideways and a tablet too: no page wider than the viewport', async () => {
    const wider: string[] = [];
    // A landscape phone, an iPad upright, an iPad sideways: between the cards and the desktop.
    for (const width of [740, 820, 1024]) {
      const context = await browser.newContext({ ...PHONE, viewport: { width, height: 400 } });
      for (const [label, file, site] of pages.filter(([l]) => !l.endsWith('1,000 containers'))) {
        const page = await context.newPage();
        await page.goto(`file://${site}/${file}`);
        const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
        if (scrollWidth > width) wider.push(`${label} at ${width} px: ${scrollWidth} px wide`);
        await page.close();
      }
      await context.close();
    }
    expect(wider).toEqual([]);
  }, 240_000);

  it('gives every control a 44 × 44 px target on a touch screen', async () => {
    expect(await onEveryPage((page) => page.evaluate(smallTargets, TARGET))).toEqual({});
  });

  it('opens every tooltip inside the viewport when its trigger is tapped', async () => {
    let opened = 0;
    const found = await onEveryPage(async (page) => {
      const problems: string[] = [];
      const triggers = await page.locator('.tip > [tabindex]:visible').all();
      // An even sample of at most 25 a page: near the left edge (anchors) and the right (updates).
      const step = Math.max(1, Math.ceil(triggers.length / 25));
      for (const trigger of triggers.filter((_, i) => i % step === 0)) {
        await trigger.tap();
        const id = await trigger.getAttribute('aria-describedby');
        const box = await page
          .locator(`[id="${id}"]`)
          .evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
        opened += 1;
        if (box.width === 0) problems.push(`${id}: not shown`);
        else if (box.left < 0 || box.right > WIDTH || box.top < 0 || box.bottom > HEIGHT)
          problems.push(
            `${id}: [${Math.round(box.left)}, ${Math.round(box.right)}] × [${Math.round(box.top)}, ${Math.round(box.bottom)}]`,
          );
      }
      return problems;
    });
    expect(found).toEqual({});
    expect(opened).toBeGreaterThan(20);
  }, 240_000);

  it('shows findings as cards with the package and the fixed version on screen', async () => {
    const page = await open(...pageOf('image, most findings'));
    const headers = await page.locator('table.findings thead th').allTextContents();
    const column = (name: string) => headers.findIndex((h) => h.trim() === name);
    const [pkg, fixed] = [column('Package'), column('Fixed')];
    expect(pkg).toBeGreaterThanOrEqual(0);
    expect(fixed).toBeGreaterThanOrEqual(0);
    const rows = await page.locator('table.findings tbody tr[data-f]').evaluateAll(
      (trs, [p, f]) =>
        trs.slice(0, 40).map((tr) => {
          const seen = (i: number) => {
            const cell = tr.children[i]!;
            const box = cell.getBoundingClientRect();
            return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth
              ? (cell.textContent ?? '').trim()
              : '';
          };
          return { display: getComputedStyle(tr).display, pkg: seen(p!), fixed: seen(f!) };
        }),
      [pkg, fixed],
    );
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      expect(row.display).not.toBe('table-row');
      expect(row.pkg).not.toBe('');
      expect(row.fixed).not.toBe('');
    }
    await page.locator('table.findings').evaluate((el) => el.scrollIntoView());
    await page.screenshot({ path: path.join(ARTIFACTS, 'phone-360-image.png') });
    await page.close();

    const index = await open(...pageOf('cves'));
    const cards = await index
      .locator('table.cve-index tbody tr[data-row]')
      .evaluateAll((trs) => trs.slice(0, 40).map((tr) => getComputedStyle(tr).display));
    expect(cards.length).toBeGreaterThan(10);
    expect(cards.filter((d) => d === 'table-row')).toEqual([]);
    await index.screenshot({ path: path.join(ARTIFACTS, 'phone-360-cves.png') });
    await index.close();
  });

  it('sets fields in 16 px text or more, so that iOS does not zoom in on focus', async () => {
    let fields = 0;
    const found = await onEveryPage(async (page) => {
      const sizes = await page
        .locator('input:not([type="hidden"]), select, textarea')
        .evaluateAll((els) =>
          els.map(
            (el) =>
              [
                el.getAttribute('name') ?? el.id,
                parseFloat(getComputedStyle(el).fontSize),
              ] as const,
          ),
        );
      fields += sizes.length;
      return sizes.filter(([, px]) => px < 16).map(([name, px]) => `${name}: ${px} px`);
    });
    expect(found).toEqual({});
    expect(fields).toBeGreaterThan(0);
  });
});
