// The home page of a 1,000-container fleet in Chromium (playwright-core, served by nginx) against
// the 44-container demo in the same run: first contentful paint, the moment the filters work
// (<dp-table> upgraded), load, and one search keystroke's latency from keydown to the next frame
// after the table is filtered. Medians of BENCH_RUNS (default 5) page loads, each in a fresh
// context (no cache); unthrottled, and again with Chromium's CPU throttled 6× (CDP
// Emulation.setCPUThrottlingRate: a phone-class CPU). Needs chromium and nginx.
//   npm run bench:browser     (BENCH_CONTAINERS=1000, BENCH_THROTTLE=6)
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
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 6);

declare global {
  interface Window {
    dpReadyAt?: number;
    dpKeyLatencies: number[];
  }
}

/**
 * Installed before any page script: when the filters work, and each keystroke's latency. The
 * filters work once <dp-table> is upgraded and, when it loads its rows after the page
 * (data-rows-src), once it says they are all in (data-ready).
 */
function instrument() {
  window.dpKeyLatencies = [];
  const ready = () => (window.dpReadyAt ??= performance.now());
  void customElements.whenDefined('dp-table').then(() => {
    const table = document.querySelector('dp-table');
    if (!table?.hasAttribute('data-rows-src') || table.hasAttribute('data-ready')) {
      ready();
      return;
    }
    new MutationObserver(() => table.hasAttribute('data-ready') && ready()).observe(table, {
      attributes: true,
      attributeFilter: ['data-ready'],
    });
  });
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

/** "24 of 1000 shown": the rows the filters leave and all rows (a paged table renders fewer). */
const countShown = () => {
  const text = document.querySelector('dp-table [data-count]')?.textContent ?? '';
  const [, shown, total] = /(\d+) of (\d+)/.exec(text) ?? [];
  return { shown: Number(shown), rows: Number(total) };
};

async function load(browser: Browser, url: string, throttle: number): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
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
    shownPerKey.push((await page.evaluate(countShown)).shown);
  }
  const counts = await page.evaluate(countShown);
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
const throttles = [1, THROTTLE];
console.error(`browser: building the ${sizes.join(' and ')}-container sites…`);
for (const size of sizes) await buildSite(size, root);
const nginx = await startNginx(root);
const browser = await launchBrowser();
/** Loads by throttle rate, then by fleet size. */
const results = new Map<number, Map<number, Load[]>>(throttles.map((t) => [t, new Map()]));
try {
  // Alternate the pages so any drift hits all alike.
  await load(browser, `${nginx.url}/fleet-44/index.html`, 1);
  for (let run = 0; run < runs; run++)
    for (const throttle of throttles)
      for (const size of sizes) {
        const result = await load(browser, `${nginx.url}/fleet-${size}/index.html`, throttle);
        if (result.rows !== size) throw new Error(`page has ${result.rows} rows, expected ${size}`);
        if (!(result.shown > 0 && result.shown < size))
          throw new Error(`search "${QUERY}" left ${result.shown} of ${size} rows: not filtering`);
        const bySize = results.get(throttle)!;
        bySize.set(size, [...(bySize.get(size) ?? []), result]);
      }
} finally {
  await browser.close();
  await nginx.stop();
  rmSync(root, { recursive: true, force: true });
}

/** The figures of one throttle rate: a table of both sizes, and one of each keystroke. */
function report(throttle: number): string {
  const bySize = results.get(throttle)!;
  const m = (size: number, key: Figure) => median(bySize.get(size)!.map((r) => r[key]));
  /** Keystroke i at one size: its median latency, and the rows it left shown (the same every run). */
  const typed = (size: number, i: number) => {
    const loads = bySize.get(size)!;
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
      ready: 'filters interactive (<dp-table> upgraded, every row in)',
      upgrade: 'filters interactive after the page is parsed (ready − domInteractive)',
      load: 'load event end',
      key: `search keystroke → filtered frame (median of ${QUERY.length} keys)`,
      keyMax: `slowest of the ${QUERY.length} keystrokes`,
    }[key],
    fmt.ms(m(44, key)),
    fmt.ms(m(CONTAINERS, key)),
    fmt.ratio(m(CONTAINERS, key) / m(44, key)),
  ]);
  return `${table(['figure', '44 containers (demo)', `${CONTAINERS} containers`, `${CONTAINERS} / 44`], rows)}

Each keystroke of the query, median over the runs: the latency, and the rows the search left shown (the key that hides the most rows costs the most).

${table(['query so far', '44 containers (demo)', `${CONTAINERS} containers`], keyRows)}`;
}

const shown = median(
  results
    .get(1)!
    .get(CONTAINERS)!
    .map((r) => r.shown),
);
writeResults(
  'browser',
  'Home page in Chromium',
  runs,
  `Headless Debian Chromium through playwright-core, 1440×900, fresh context per load, pages served by nginx on 127.0.0.1; times from navigation start (performance timings). Typing "${QUERY}" in the search box, each keystroke is timed from its keydown event to the next frame after <dp-table> has filtered the rows (${shown} of ${CONTAINERS} rows left shown).

## Unthrottled

${report(1)}

## CPU throttled ${THROTTLE}× (a phone-class CPU)

The same loads with Chromium's CPU slowed ${THROTTLE}× (CDP \`Emulation.setCPUThrottlingRate\`); the network is not throttled. Targets at ${CONTAINERS} containers: filters interactive ≤ 1.5 s, a keystroke ≤ 200 ms.

${report(THROTTLE)}`,
);
