import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../pipeline/site/model/build-model.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { buildSiteAndModel } from '../helpers/built-site.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';
import { demoStore } from '../helpers/store-fixture.ts';

// Every page type of the demo site, served by nginx, checked by axe-core at WCAG 2.2 AA in the
// light and the dark theme: one violation fails the suite. The counts go to the console and to
// test-artifacts/axe-counts.json.

const ARTIFACTS = path.resolve('test-artifacts');
const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string })
  .source;
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SCHEMES = ['light', 'dark'] as const;

/** A page type: where its page is in the built site, or undefined when this site has none. */
interface PageType {
  name: string;
  find(input: SiteInput, site: string): string | undefined;
}

const imageWhere = (input: SiteInput, test: (i: SiteInput['model']['images'][number]) => boolean) =>
  input.model.images.find(test)?.slug;
const listed = (i: SiteInput['model']['images'][number]) =>
  i.findings.state === 'listed' ? i.findings.total : 0;

// Add a page type here: a name and where its page is.
const PAGE_TYPES: PageType[] = [
  { name: 'home', find: () => 'index.html' },
  {
    name: 'image, many findings',
    find: ({ model }) => {
      const most = [...model.images].sort((a, b) => listed(b) - listed(a))[0];
      return most && listed(most) > 0 ? `images/${most.slug}.html` : undefined;
    },
  },
  {
    name: 'image, scan failed',
    find: (input) => {
      const slug = imageWhere(input, (i) => i.security.state === 'failed');
      return slug && `images/${slug}.html`;
    },
  },
  {
    name: 'image, clean',
    find: (input) => {
      const slug = imageWhere(input, (i) => i.findings.state === 'none');
      return slug && `images/${slug}.html`;
    },
  },
  {
    name: 'CVE page',
    find: ({ model }) => {
      const slug = model.fixFirst.items.find((f) => f.slug)?.slug ?? model.cves[0]?.slug;
      return slug && `cves/${slug}.html`;
    },
  },
  { name: 'CVE index', find: () => 'cves.html' },
  { name: 'history', find: () => 'history.html' },
  {
    name: 'history snapshot',
    find: (_input, site) => {
      const page = readdirSync(path.join(site, 'history')).sort().at(-1);
      return page && `history/${page}`;
    },
  },
  { name: 'accepted', find: () => 'accepted.html' },
  { name: 'fix first', find: () => 'fix-first.html' },
  { name: 'update plans', find: () => 'plans.html' },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[]; failureSummary?: string }[];
}

describe('axe-core finds no WCAG 2.2 AA violation on any page type, light or dark', () => {
  let browser: Browser;
  let nginx: TestNginx;
  let site = '';
  let input: SiteInput;
  const counts: Record<string, { page: string | null; light?: number; dark?: number }> = {};

  beforeAll(async () => {
    ({ site, input } = await buildSiteAndModel(await demoStore(3), 'dpk-a11y-'));
    nginx = await startNginx(site);
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    if (Object.keys(counts).length === 0) return;
    writeFileSync(path.join(ARTIFACTS, 'axe-counts.json'), `${JSON.stringify(counts, null, 2)}\n`);
    const rows = Object.entries(counts).map(
      ([name, c]) =>
        `| ${name} | ${c.page ?? 'no such page'} | ${c.light ?? '—'} | ${c.dark ?? '—'} |`,
    );
    console.log(
      [
        'axe-core 4 violations (WCAG 2.2 AA):',
        '| page type | page | light | dark |',
        '|---|---|---|---|',
        ...rows,
      ].join('\n'),
    );
  });

  async function open(file: string, colorScheme: (typeof SCHEMES)[number]): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, colorScheme });
    await page.goto(`${nginx.url}/${file}`);
    return page;
  }

  /** axe-core's violations on the page as it is now. */
  async function violationsOf(page: Page): Promise<AxeViolation[]> {
    await page.addScriptTag({ content: AXE_SOURCE });
    return page.evaluate(async (tags) => {
      const axe = (window as unknown as { axe: { run(...a: unknown[]): Promise<unknown> } }).axe;
      const result = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
        violations: AxeViolation[];
      };
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    }, WCAG_22_AA);
  }

  it('checks the axe-core it was given: version 4, which finds a planted violation', async () => {
    const page = await browser.newPage();
    await page.setContent('<html lang="en"><title>t</title><main><img src="data:,"></main></html>');
    const found = await violationsOf(page);
    expect(found.map((v) => v.id)).toContain('image-alt');
    const version = await page.evaluate(
      () => (window as unknown as { axe: { version: string } }).axe.version,
    );
    expect(version).toMatch(/^4\./);
    await page.close();
  });

  it.each(PAGE_TYPES.map((t) => [t.name, t] as const))(
    '%s',
    async (name, type) => {
      const file = type.find(input, site) ?? null;
      counts[name] = { page: file };
      // Every page type must be in the demo's site: a missing one is a failure, never a skip.
      expect(file && existsSync(path.join(site, file)), `${name}: ${file}`).toBeTruthy();
      if (file === null) return;
      const found: string[] = [];
      for (const scheme of SCHEMES) {
        const page = await open(file, scheme);
        const violations = await violationsOf(page);
        counts[name][scheme] = violations.reduce((n, v) => n + v.nodes.length, 0);
        for (const v of violations)
          for (const n of v.nodes.slice(0, 5))
            found.push(
              `${scheme} ${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary ?? ''}`,
            );
        await page.close();
      }
      expect(found).toEqual([]);
      // axe takes a minute on a page of 1,000 findings on a busy machine.
    },
    300_000,
  );

  it('makes the skip link the first tab stop on home: visible on focus, onto the table search', async () => {
    const page = await open('index.html', 'light');
    const skip = page.locator('a.skip-link');
    expect(await skip.isVisible()).toBe(true);
    const onScreen = () =>
      skip.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight && r.right > 0;
      });
    expect(await onScreen()).toBe(false);
    await page.keyboard.press('Tab');
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.textContent()).toBe('Skip to the containers table');
    expect(await onScreen()).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');
    await page.close();
  });

  it('counts the tab stops to the table search, with and without the skip link', async () => {
    /** Tab presses until the search box has focus; Enter once after the first when skipping. */
    const tabsToSearch = async (useSkipLink: boolean): Promise<number> => {
      const page = await open('index.html', 'light');
      let stops = 0;
      while (stops < 500) {
        await page.keyboard.press('Tab');
        stops += 1;
        if (useSkipLink && stops === 1) await page.keyboard.press('Enter');
        if (await page.evaluate(() => document.activeElement?.getAttribute('name') === 'q')) break;
      }
      await page.close();
      return stops;
    };
    const tabStops = {
      searchBox: await tabsToSearch(false),
      withSkipLink: await tabsToSearch(true),
    };
    expect(tabStops.searchBox).toBeLessThan(500);
    expect(tabStops.withSkipLink).toBe(2);
    writeFileSync(path.join(ARTIFACTS, 'tab-stops.json'), `${JSON.stringify(tabStops, null, 2)}\n`);
    console.log(
      `the search box is tab stop ${tabStops.searchBox}; with the skip link: ${tabStops.withSkipLink} (Tab, Enter, Tab)`,
    );
  });

  it('skips to the main content on other pages', async () => {
    const page = await open('cves.html', 'dark');
    await page.keyboard.press('Tab');
    const skip = page.locator('a.skip-link');
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.textContent()).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });
});
