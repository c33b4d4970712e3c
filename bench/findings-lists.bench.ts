// The CVE index and the largest image page of a 1,000-container demo in Chromium, from file://,
// unthrottled and with the CPU slowed 6x (a phone-class device): when the filters work after
// navigation (<dp-findings> defined), each keystroke of a search ("openssl") from keydown to the
// frame after the list is filtered, and one checkbox filter (Fix available). Medians of
// BENCH_RUNS page loads, each in a fresh context. Needs chromium.
//   npm run bench:findings-lists     (BENCH_CONTAINERS=1000)
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, median } from './lib/stats.ts';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 1000);
const QUERY = 'openssl';

declare global {
  interface Window {
    dpReadyAt?: number;
    dpKeys: number[];
    dpCheck?: number;
  }
}

/** Installed before any page script: when the filters work, each keystroke's and the checkbox's latency. */
function instrument() {
  window.dpKeys = [];
  void customElements.whenDefined('dp-findings').then(() => (window.dpReadyAt = performance.now()));
  let keyAt = 0;
  document.addEventListener('keydown', (event) => (keyAt = event.timeStamp), true);
  const after = (start: number, done: (ms: number) => void) =>
    requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
  document.addEventListener('input', (event) => {
    if ((event.target as HTMLInputElement).name === 'q')
      after(keyAt, (ms) => window.dpKeys.push(ms));
  });
  document.addEventListener('change', (event) => {
    if ((event.target as HTMLInputElement).type === 'checkbox')
      after(event.timeStamp, (ms) => (window.dpCheck = ms));
  });
}

interface Load {
  ready: number;
  keyMedian: number;
  keyMax: number;
  check: number;
}

async function measure(browser: Browser, url: string, rate: number): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.addInitScript(instrument);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.dpReadyAt !== undefined);
  const ready = await page.evaluate(() => window.dpReadyAt!);
  await page.locator('input[name="q"]').click();
  for (const [i, ch] of [...QUERY].entries()) {
    await page.keyboard.type(ch);
    await page.waitForFunction((n: number) => window.dpKeys.length > n, i);
  }
  const keys = await page.evaluate(() => window.dpKeys);
  await page.locator('input[name="q"]').fill('');
  await page.locator('input[name="fixable"]').check();
  await page.waitForFunction(() => window.dpCheck !== undefined);
  const check = await page.evaluate(() => window.dpCheck!);
  await context.close();
  return { ready, keyMedian: median(keys), keyMax: Math.max(...keys), check };
}

const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-lists-'));
const site = path.join(dir, 'site');
try {
  await execa(process.execPath, [
    'bin/dockpeek-security.mjs',
    'demo',
    '--containers',
    String(CONTAINERS),
    '--site-dir',
    site,
    '-q',
  ]);
  const images = path.join(site, 'images');
  const largest = readdirSync(images)
    .map((f) => ({ f, size: statSync(path.join(images, f)).size }))
    .sort((a, b) => b.size - a.size)[0]!.f;
  const pages = [
    { name: 'CVE index', file: 'cves.html' },
    { name: 'largest image page', file: `images/${largest}` },
  ];
  const runs = benchRuns();
  const browser = await launchBrowser();
  const rows: Array<Array<string | number>> = [];
  for (const page of pages)
    for (const rate of [1, 6]) {
      const loads: Load[] = [];
      for (let run = 0; run < runs; run++)
        loads.push(await measure(browser, `file://${path.join(site, page.file)}`, rate));
      const m = (key: keyof Load) => String(Math.round(median(loads.map((l) => l[key]))));
      const kb = Math.round(statSync(path.join(site, page.file)).size / 1024);
      rows.push([
        `${page.name} (${kb} KiB)`,
        `${rate}×`,
        m('ready'),
        m('keyMedian'),
        m('keyMax'),
        m('check'),
      ]);
    }
  await browser.close();
  writeResults(
    'findings-lists',
    `Findings lists at ${CONTAINERS} containers: filters ready, keystroke and checkbox latency (ms)`,
    runs,
    table(
      ['page', 'CPU', 'filters ready', 'keystroke (median)', 'keystroke (slowest)', 'checkbox'],
      rows,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
