// The home page of a 1,000-container fleet in Chromium (playwright-core, served by nginx) against
// the 44-container demo in the same run: first contentful paint, the moment the filters work
// (<dp-table> upgraded), load, and one search keystroke's latency from keydown to the next frame
// after the table is filtered. Medians of BENCH_RUNS (default 5) page loads, each in a fresh
// context (no cache). Needs chromium and nginx.
//   npm run bench:browser     (BENCH_CONTAINERS=1000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.ts';
import { startNginx } from '../test/helpers/nginx.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median } from './lib/stats.ts';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 1000);
const QUERY = 'sonarr';

declare global {
  interface Window {
    dpReadyAt?: number;
    dpKeyLatencies: number[];
  }
}

/** Installed before any page script: when the filters work, and each keystroke's latency. */
function instrument() {
  window.dpKeyLatencies = [];
  void customElements.whenDefined('dp-table').then(() => (window.dpReadyAt = performance.now()));
  let keyAt = 0;
  document.addEventListener('keydown', (event) => (keyAt = event.timeStamp), true);
  // Bubbling to document: runs after <dp-table>'s own input listener on its form has filtered.
  document.addEventListener('input', () => {
    const start = keyAt;
    requestAnimationFrame(() =>
      setTimeout(() => window.dpKeyLatencies.push(performance.now() - start), 0),
    );
  });
}

interface Load {
  fcp: number;
  ready: number;
  /** From the end of parsing (domInteractive) to the filters working: the table's own work. */
  upgrade: number;
  load: number;
  key: number;
  /** The slowest of the query's keystrokes. */
  keyMax: number;
  rows: number;
  shown: number;
  /** Each keystroke's latency, in the order typed, and the rows shown after it. */
  perKey: number[];
  shownPerKey: number[];
}

type Figure = Exclude<keyof Load, 'perKey' | 'shownPerKey'>;

const countShown = () =>
  [...document.querySelectorAll<HTMLElement>('tbody tr[data-row]')].filter((r) => !r.hidden).length;

async function load(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(instrument);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () =>
      window.dpReadyAt !== undefined &&
      performance.getEntriesByName('first-contentful-paint').length > 0,
  );
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      fcp: fcp?.startTime ?? NaN,
      ready: window.dpReadyAt!,
      upgrade: window.dpReadyAt! - nav.domInteractive,
      load: nav.loadEventEnd,
    };
  });
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.click();
  const shownPerKey: number[] = [];
  for (const [i, key] of [...QUERY].entries()) {
    await page.keyboard.press(key);
    await page.waitForFunction((n) => window.dpKeyLatencies.length >= n, i + 1);
    // Counted after the keystroke's frame was timed: it does not weigh on the figure.
    shownPerKey.push(await page.evaluate(countShown));
  }
  const counts = await page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('tbody tr[data-row]')];
    return { rows: rows.length, shown: rows.filter((r) => !r.hidden).length };
  });
  const latencies = await page.evaluate(() => window.dpKeyLatencies);
  await context.close();
  return {
    ...timing,
    key: median(latencies),
    keyMax: Math.max(...latencies),
    ...counts,
    perKey: latencies,
    shownPerKey,
  };
}

async function buildSite(containers: number, root: string): Promise<void> {
  const run = await execa(
    process.execPath,
    [
      'bin/dockpeek-security.mjs',
      'demo',
      '--containers',
      String(containers),
      '--days',
      '14',
      '--site-dir',
      path.join(root, `fleet-${containers}`),
      '--quiet',
    ],
    { reject: false },
  );
  if (run.exitCode !== 0) throw new Error(`demo build failed: ${run.stderr}`);
}

const runs = benchRuns();
const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-browser-'));
const sizes = [44, CONTAINERS];
console.error(`browser: building the ${sizes.join(' and ')}-container sites…`);
for (const size of sizes) await buildSite(size, root);
const nginx = await startNginx(root);
const browser = await launchBrowser();
const results = new Map<number, Load[]>();
try {
  // Alternate the two pages so any drift hits both alike.
  await load(browser, `${nginx.url}/fleet-44/index.html`);
  for (let run = 0; run < runs; run++)
    for (const size of sizes) {
      const result = await load(browser, `${nginx.url}/fleet-${size}/index.html`);
      if (result.rows !== size) throw new Error(`page has ${result.rows} rows, expected ${size}`);
      if (!(result.shown > 0 && result.shown < size))
        throw new Error(`search "${QUERY}" left ${result.shown} of ${size} rows: not filtering`);
      results.set(size, [...(results.get(size) ?? []), result]);
    }
} finally {
  await browser.close();
  await nginx.stop();
  rmSync(root, { recursive: true, force: true });
}

const m = (size: number, key: Figure) => median(results.get(size)!.map((r) => r[key]));
/** Keystroke i at one size: its median latency, and the rows it left shown (the same every run). */
const typed = (size: number, i: number) => {
  const loads = results.get(size)!;
  return `${fmt.ms(median(loads.map((r) => r.perKey[i]!)))} (${loads[0]!.shownPerKey[i]} shown)`;
};
const keyRows = [...QUERY].map((_, i) => [
  `"${QUERY.slice(0, i + 1)}"`,
  typed(44, i),
  typed(CONTAINERS, i),
]);
const rows = (['fcp', 'ready', 'upgrade', 'load', 'key', 'keyMax'] as const).map((key) => [
  {
    fcp: 'first contentful paint',
    ready: 'filters interactive (<dp-table> upgraded)',
    upgrade: 'filters interactive after the page is parsed (upgrade − domInteractive)',
    load: 'load event end',
    key: `search keystroke → filtered frame (median of ${QUERY.length} keys)`,
    keyMax: `slowest of the ${QUERY.length} keystrokes`,
  }[key],
  fmt.ms(m(44, key)),
  fmt.ms(m(CONTAINERS, key)),
  fmt.ratio(m(CONTAINERS, key) / m(44, key)),
]);
writeResults(
  'browser',
  'Home page in Chromium',
  runs,
  `Headless Debian Chromium through playwright-core, 1440×900, fresh context per load, pages served by nginx on 127.0.0.1; times from navigation start (performance timings). Typing "${QUERY}" in the search box, each keystroke is timed from its keydown event to the next frame after <dp-table> has filtered the rows (${m(CONTAINERS, 'shown')} of ${CONTAINERS} rows left shown).

${table(['figure', '44 containers (demo)', `${CONTAINERS} containers`, `${CONTAINERS} / 44`], rows)}

Each keystroke of the query, median over the runs: the latency, and the rows the search left shown (the key that hides the most rows costs the most).

${table(['query so far', '44 containers (demo)', `${CONTAINERS} containers`], keyRows)}`,
);
