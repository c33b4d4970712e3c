import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteInput } from '../../pipeline/site/model/build-model.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { buildSiteAndModel } from '../helpers/built-site.ts';
import { PROTOTYPE_NAMES, createPrototypeKeysFixture } from '../helpers/site-fixture.ts';
import { demoStore } from '../helpers/store-fixture.ts';

/** Queries named like Object.prototype's properties; the fixture's data has the first four. */
const QUERIES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
  'CONSTRUCTOR',
];

// Typing a word that every JavaScript object has as a property must search like any other word:
// no page error, and exactly the rows whose text, packages or CVE ids contain it.
describe.each([
  ['the demo', () => demoStore(), []],
  [
    'a fleet with packages, CVE ids, images and a stack named so',
    createPrototypeKeysFixture,
    // Independent of the index: the image "constructor" carries all four names.
    PROTOTYPE_NAMES,
  ],
] as const)('searching %s for "__proto__", "constructor", …', (_, createStore, carried) => {
  let browser: Browser;
  let site = '';
  let input: SiteInput;

  beforeAll(async () => {
    ({ site, input } = await buildSiteAndModel(await createStore(), 'dpk-proto-e2e-'));
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => browser?.close());

  /** The rows the search should show: by their own text, or by their image's findings. */
  function expectedRows(typed: string): string[] {
    const q = typed.toLowerCase();
    const { search } = input.model;
    const slugs = new Set<string>();
    for (const c of search.cves)
      if ([c.id, ...(c.aliases ?? [])].some((id) => id.toLowerCase() === q))
        for (const i of c.images) slugs.add(search.images[i]!);
    // A package is also found by its source package and package URLs (the entry's third part).
    for (const [name, images, also] of search.packages)
      if (name.includes(q) || also?.includes(q))
        for (const i of images) slugs.add(search.images[i]!);
    return input.model.table.groups
      .flatMap((g) => g.rows)
      .filter((r) => r.search.includes(q) || (r.imageSlug !== null && slugs.has(r.imageSlug)))
      .map((r) => r.domId)
      .sort();
  }

  async function openHome(errors: string[]): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${site}/index.html`);
    await page.getByLabel('Search').focus();
    await page.waitForFunction(() => 'dockpeekSearch' in window);
    return page;
  }

  it.each(QUERIES)('%j shows exactly the rows that contain it, with no page error', async (q) => {
    const errors: string[] = [];
    const page = await openHome(errors);
    await page.getByLabel('Search').fill(q);
    const shown = await page
      .locator('tr[data-row]:visible')
      .evaluateAll((rows) => rows.map((r) => r.id).sort());
    expect(errors).toEqual([]);
    expect(shown).toEqual(expectedRows(q));
    if (carried.some((name) => name.toLowerCase() === q.toLowerCase()))
      expect(shown).toContainEqual(expect.stringMatching(/-constructor$/));
    const counter = await page.locator('[data-count]').textContent();
    expect(counter).toBe(`${shown.length} of ${input.model.table.total} shown`);
    await page.close();
  });

  it('finds nothing for a word no row or finding has, like any unknown word', async () => {
    const errors: string[] = [];
    const page = await openHome(errors);
    for (const q of ['valueOf', 'zzzunknownword']) {
      await page.getByLabel('Search').fill(q);
      expect(await page.locator('tr[data-row]:visible').count(), q).toBe(0);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
