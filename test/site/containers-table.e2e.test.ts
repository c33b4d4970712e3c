import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import type { SiteInput } from '../../pipeline/site/model/build-model.ts';
import type { ContainerRow } from '../../pipeline/site/model/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { buildSiteAndModel } from '../helpers/built-site.ts';
import { DEMO_NOW, demoStore } from '../helpers/store-fixture.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const LAPTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const UNKNOWN = ['failed', 'pending', 'not_scanned', 'skipped'];

/** The rows of a model's table in the needs-attention order (tier, weight, grouped order). */
function attentionOrder(input: SiteInput): ContainerRow[] {
  const rows = input.model.table.groups.flatMap((g) => g.rows);
  return rows
    .map((row, order) => ({ row, order }))
    .sort(
      (a, b) =>
        b.row.attention - a.row.attention || b.row.weight - a.row.weight || a.order - b.order,
    )
    .map(({ row }) => row);
}

/** The filter's scan state of a row. */
const stateOf = (r: ContainerRow) =>
  r.security.state === 'scanned' ? (r.security.clean ? 'clean' : 'vulnerable') : r.security.state;

const shownIds = (page: Page) =>
  page.locator('tr[data-row]:visible').evaluateAll((rows) => rows.map((r) => r.id));

// The home page's containers table: needs attention first, honest filters, history entries, links
// to rows and image pages, on the demo; paged, fast to load and complete without JS at 1,000.
describe('the containers table on the demo', () => {
  let browser: Browser;
  let site = '';
  let input: SiteInput;

  beforeAll(async () => {
    ({ site, input } = await buildSiteAndModel(await demoStore(0), 'dpk-table-'));
    browser = await launchBrowser();
  }, 180_000);
  afterAll(() => browser?.close());

  async function open(query = '', options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ viewport: LAPTOP, ...options });
    const page = await context.newPage();
    await page.goto(`file://${site}/index.html${query}`);
    return page;
  }

  it('orders rows by "needs attention" by default, with and without JavaScript', async () => {
    const expected = attentionOrder(input).map((r) => r.domId);
    for (const javaScriptEnabled of [false, true]) {
      const page = await open('', { javaScriptEnabled });
      expect(await page.locator('tr[data-row]').evaluateAll((r) => r.map((e) => e.id))).toEqual(
        expected,
      );
      await page.context().close();
    }
    // The first rows are the KEV and Fix-first tiers.
    expect(attentionOrder(input)[0]!.attention).toBeGreaterThanOrEqual(4);
  });

  it('keeps grouping and worst first one choice away', async () => {
    const page = await open();
    await page.getByLabel('Order').selectOption('grouped');
    expect(await page.locator('tbody[data-group]').count()).toBe(input.model.table.groups.length);
    expect(await shownIds(page)).toEqual(
      input.model.table.groups.flatMap((g) => g.rows.map((r) => r.domId)),
    );
    await page.getByLabel('Order').selectOption('worst');
    expect(await page.locator('tbody[data-group]').count()).toBe(0);
    await page.context().close();
  });

  it('says which rows a findings filter cannot judge', async () => {
    const page = await open('?sev=critical');
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    const matching = rows.filter((r) => r.severities.includes('critical')).length;
    const doubtful = rows.filter((r) => UNKNOWN.includes(stateOf(r)));
    expect(doubtful.length).toBeGreaterThan(0);
    expect(await page.locator('[data-count]').textContent()).toBe(
      `${matching} of ${rows.length} shown`,
    );
    const note = (await page.locator('[data-truth-note]').textContent()) ?? '';
    expect(note).toContain(`${doubtful.length} more container`);
    const failed = doubtful.filter((r) => stateOf(r) === 'failed').length;
    if (failed) expect(note).toContain(`${failed} with a failed scan`);
    // A filter on something known (the scan state) leaves no doubt.
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Scan state').selectOption('clean');
    expect(await page.locator('[data-truth-note]').isVisible()).toBe(false);
    await page.context().close();
  });

  it('says that an unreachable host is unreachable', async () => {
    const down = input.model.summary.hosts.find((h) => !h.ok);
    expect(down, 'the demo has a host that is down').toBeDefined();
    const page = await open(`?host=${down!.name}`);
    expect(await page.locator('[data-truth-note]').textContent()).toContain(
      `Host ${down!.name} was unreachable`,
    );
    // The first screen names it before Fix first.
    const section = page.locator('[data-hosts-down]');
    expect(await section.textContent()).toContain(down!.name);
    const [downY, fixY] = await Promise.all([
      section.evaluate((e) => e.getBoundingClientRect().top),
      page.locator('[data-fix-first]').evaluate((e) => e.getBoundingClientRect().top),
    ]);
    expect(downY).toBeLessThan(fixY);
    await page.context().close();
  });

  it('makes each filter change a history entry: Back undoes it', async () => {
    const page = await open();
    const all = (await shownIds(page)).length;
    await page.getByLabel('Severity').selectOption('critical');
    const critical = (await shownIds(page)).length;
    await page.getByLabel('Host').selectOption('nas');
    const both = (await shownIds(page)).length;
    expect(both).toBeLessThan(critical);
    expect(critical).toBeLessThan(all);
    await page.goBack();
    expect(await page.getByLabel('Host').inputValue()).toBe('');
    expect(await page.getByLabel('Severity').inputValue()).toBe('critical');
    expect((await shownIds(page)).length).toBe(critical);
    await page.goBack();
    expect(await page.getByLabel('Severity').inputValue()).toBe('');
    expect((await shownIds(page)).length).toBe(all);
    await page.goForward();
    expect((await shownIds(page)).length).toBe(critical);
    await page.context().close();
  });

  it('links container names to their image page, whose back link keeps the filters', async () => {
    const page = await open('?sev=critical');
    const names = page.locator('tr[data-row] a.cname');
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    const firstId = (await shownIds(page))[0];
    const first = rows.find((r) => r.domId === firstId)!;
    expect(await names.first().getAttribute('href')).toBe(`images/${first.imageSlug}.html`);
    await names.first().click();
    await page.waitForURL(/images\//);
    const back = page.locator('a[data-back-home]');
    expect(new URL((await back.getAttribute('href'))!, page.url()).search).toBe('?sev=critical');
    await back.click();
    await page.waitForURL(/index\.html/);
    expect(await page.getByLabel('Severity').inputValue()).toBe('critical');
    await page.context().close();
  });

  it('clears the filter that hides a row a Fix-first link points to', async () => {
    const page = await open('?state=clean');
    const link = page.locator('[data-fix-first] a[href^="#c-"]').first();
    const id = (await link.getAttribute('href'))!.slice(1);
    expect(await page.locator(`#${id}`).count()).toBe(0);
    await link.click();
    await expect.poll(() => page.locator(`#${id}`).isVisible()).toBe(true);
    expect(await page.getByLabel('Scan state').inputValue()).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(id);
    expect(new URL(page.url()).searchParams.get('state')).toBeNull();
    await page.goBack();
    expect(await page.getByLabel('Scan state').inputValue()).toBe('clean');
    await page.context().close();
  });

  it('gives unknown-severity findings a badge on the row', async () => {
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    const withUnknown = rows.filter(
      (r) => r.security.state === 'scanned' && r.security.counts.unknown > 0,
    );
    expect(withUnknown.length).toBeGreaterThan(0);
    const page = await open();
    for (const row of withUnknown) {
      const n = row.security.state === 'scanned' ? row.security.counts.unknown : 0;
      expect(await page.locator(`#${row.domId} .badge.sev-unknown`).textContent()).toBe(`U ${n}`);
    }
    await page.context().close();
  });
});

describe('the containers table at 1,000 containers', () => {
  let browser: Browser;
  let site = '';
  let input: SiteInput;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-store-1000-'));
    await createDemoData(dataDir, DEMO_NOW, 1000, 0);
    ({ site, input } = await buildSiteAndModel(dataDir, 'dpk-table-1000-'));
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 300_000);
  afterAll(() => browser?.close());

  it('reaches every row without JavaScript, page by page, in the needs-attention order', async () => {
    const context = await browser.newContext({ viewport: LAPTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    const { pages, pageSize, total } = input.model.table;
    expect(total).toBe(1000);
    expect(pages).toBe(Math.ceil(total / pageSize));
    const seen: string[] = [];
    await page.goto(`file://${site}/index.html`);
    for (let n = 1; n <= pages; n++) {
      const ids = await page.locator('tr[data-row]').evaluateAll((r) => r.map((e) => e.id));
      expect(ids.length).toBe(Math.min(pageSize, total - seen.length));
      seen.push(...ids);
      const next = page.getByRole('link', { name: 'Next page →' });
      if (n < pages) await next.click();
      else expect(await next.count()).toBe(0);
    }
    expect(seen).toEqual(attentionOrder(input).map((r) => r.domId));
    await context.close();
  });

  it('filters every row with JavaScript while only a page of them is in the document', async () => {
    const page = await browser.newPage({ viewport: LAPTOP });
    await page.goto(`file://${site}/index.html`);
    await page.waitForSelector('dp-table[data-ready]');
    const rows = input.model.table.groups.flatMap((g) => g.rows);
    expect(await page.locator('[data-count]').textContent()).toBe('1000 of 1000 shown');
    expect(await page.locator('tr[data-row]').count()).toBe(input.model.table.pageSize);
    await page.getByLabel('Severity').selectOption('critical');
    const critical = rows.filter((r) => r.severities.includes('critical'));
    expect(await page.locator('[data-count]').textContent()).toBe(
      `${critical.length} of 1000 shown`,
    );
    // By keyboard: the button keeps the focus, and the new page's range is announced.
    await page.getByRole('button', { name: 'Next page →' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Next page →');
    const size = input.model.table.pageSize;
    expect(await page.locator('[data-pager-text]').textContent()).toBe(
      `Rows ${size + 1}–${Math.min(2 * size, critical.length)} of ${critical.length}.`,
    );
    const second = await shownIds(page);
    const expected = attentionOrder(input)
      .filter((r) => r.severities.includes('critical'))
      .slice(input.model.table.pageSize, 2 * input.model.table.pageSize)
      .map((r) => r.domId);
    expect(second).toEqual(expected);
    await page.close();
  });

  it('puts the search box on the first screen: summary, hosts down, Fix first, then the table', async () => {
    for (const [name, viewport] of [
      ['laptop', LAPTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await browser.newPage({ viewport });
      await page.goto(`file://${site}/index.html`);
      await page.waitForSelector('dp-table[data-ready]');
      const top = (selector: string) =>
        page
          .locator(selector)
          .first()
          .evaluate((e) => e.getBoundingClientRect().top + scrollY);
      const search = await top('input[name="q"]');
      const order = [
        await top('.summary'),
        await top('[data-hosts-down]'),
        await top('[data-fix-first]'),
        search,
        await top('[data-plans-link]'),
        await top('[data-host-list]'),
      ];
      expect(order).toEqual([...order].sort((a, b) => a - b));
      console.log(`search box at y = ${Math.round(search)} px on the ${name}`);
      await page.screenshot({ path: path.join(ARTIFACTS, `home-1000-${name}.png`) });
      await page.close();
    }
  });
});
