// Site build for fleets of 100 / 500 / 1,000 containers (the demo homelab repeated on more hosts)
// × 0 / 100 / 365 archived days: build time (CLI wall), pages, output bytes, home page bytes raw
// and gzipped, peak memory, and how each grows. Medians of BENCH_RUNS (default 5) builds per row.
//   npm run bench:build       (BENCH_CONTAINERS="100 500 1000" BENCH_DAYS="0 100 365")
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { compileCacheDir } from '../bin/compile-cache.mjs';
import { createDemoData } from '../pipeline/demo/create-demo-data.ts';
import { archiveWithSummary } from '../pipeline/store/archive-index.ts';
import { openStore } from '../pipeline/store/db.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat } from './lib/stats.ts';

const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback).split(/\s+/).map(Number);
const SIZES = list('BENCH_CONTAINERS', '100 500 1000');
const DAYS = list('BENCH_DAYS', '0 100 365');
// GNU time reports the build's peak memory; optional.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** Node's compile cache as the CLI finds it (bin/compile-cache.mjs), or one for this run. */
const NODE_CACHE =
  process.env.NODE_COMPILE_CACHE ??
  compileCacheDir(process.env) ??
  mkdtempSync(path.join(tmpdir(), 'dpk-bench-node-cache-'));

interface Build {
  ms: number;
  pages: number;
  bytes: number;
  home: number;
  homeGzip: number;
  peakKiB: number;
  /** A rebuild with nothing changed, over the release the cold build published. */
  warmMs: number;
  /** A rebuild after one new snapshot was taken and archived (as a daily refresh does). */
  nextMs: number;
  /** Its peak memory: the build process alone, the renderer being compiled already. */
  nextPeakKiB: number;
  /** The three kept releases on disk after the warm rebuilds (hard links counted once). */
  releasesBytes: number;
}

/**
 * A cold build into a fresh site dir (`siteDir` unset), with an empty renderer cache, as the
 * first build after an install; or a rebuild over the release in `siteDir`.
 */
async function build(
  dataDir: string,
  siteDir?: string,
): Promise<Omit<Build, 'warmMs' | 'nextMs' | 'nextPeakKiB' | 'releasesBytes'>> {
  const cold = siteDir === undefined;
  const site = siteDir ?? path.join(mkdtempSync(path.join(tmpdir(), 'dpk-bench-www-')), 'site');
  const cli = [process.execPath, 'bin/dockpeek-security.mjs', 'build'];
  const args = [...cli, '--data-dir', dataDir, '--site-dir', site, '--quiet'];
  // The compiled renderer is kept in the user's cache (once per install): a cold build gets an
  // empty cache folder so that it compiles, but keeps Node's own compile cache, as an upgrade.
  const cache = cold && mkdtempSync(path.join(tmpdir(), 'dpk-bench-cache-'));
  const env = cache ? { XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: NODE_CACHE } : {};
  // The disk idle, as a daily refresh finds it: the previous build's writes (up to 600 MiB) are
  // flushed first, so their writeback does not land in this build's time.
  await execa('sync');
  const started = performance.now();
  const run = TIME
    ? await execa(TIME, ['-f', 'peak-kib=%M', ...args], { reject: false, env })
    : await execa(args[0]!, args.slice(1), { reject: false, env });
  const ms = performance.now() - started;
  if (cache) rmSync(cache, { recursive: true, force: true });
  if (run.exitCode !== 0) throw new Error(`build failed: ${run.stderr}`);
  const files = readdirSync(site, { recursive: true, withFileTypes: true }).filter((f) =>
    f.isFile(),
  );
  const home = readFileSync(path.join(site, 'index.html'));
  const result = {
    ms,
    pages: files.filter((f) => f.name.endsWith('.html')).length,
    bytes: files.reduce((sum, f) => sum + statSync(path.join(f.parentPath, f.name)).size, 0),
    home: home.length,
    homeGzip: gzipSync(home, { level: 6 }).length,
    peakKiB: Number(/peak-kib=(\d+)/.exec(run.stderr)?.[1] ?? NaN),
  };
  if (cold) rmSync(path.dirname(site), { recursive: true, force: true });
  return result;
}

/**
 * Bytes under `dir`, each file counted once however many hard links it has. Symlinks are not
 * followed (the renderer's node_modules link points at the project's packages).
 */
function diskBytes(dir: string, seen = new Set<string>()): number {
  let total = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, f.name);
    if (f.isDirectory()) total += diskBytes(file, seen);
    if (!f.isFile()) continue;
    const s = statSync(file);
    if (seen.has(`${s.dev}:${s.ino}`)) continue;
    seen.add(`${s.dev}:${s.ino}`);
    total += s.size;
  }
  return total;
}

/**
 * What a daily refresh adds before its build: a new current snapshot (the same containers, a day
 * later), archived with its scan and update state.
 */
async function takeNextSnapshot(dataDir: string): Promise<void> {
  const store = await openStore(dataDir);
  const { snapshot, scans, updates } = store.db.data;
  if (!snapshot) throw new Error(`no snapshot in ${dataDir}`);
  snapshot.takenAt = new Date(Date.parse(snapshot.takenAt) + 86_400_000).toISOString();
  await store.db.write();
  await archiveWithSummary(dataDir, snapshot, scans, updates);
}

const runs = benchRuns();
const measured = new Map<string, Build>();
for (const size of SIZES)
  for (const days of DAYS) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-site-'));
    console.error(`build: ${size} containers × ${days} archived days: generating data…`);
    await createDemoData(dataDir, new Date(), size, days);
    console.error(`build: ${size} × ${days}: ${runs} builds…`);
    const builds = await repeat(runs, () => build(dataDir));
    console.error(`build: ${size} × ${days}: ${runs} rebuilds with nothing changed…`);
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-bench-www-')), 'site');
    await build(dataDir, siteDir);
    const warm = await repeat(runs, () => build(dataDir, siteDir));
    const releasesBytes = diskBytes(`${siteDir}.releases`);
    console.error(`build: ${size} × ${days}: ${runs} rebuilds after one new snapshot…`);
    const next = await repeat(runs, async () => {
      await takeNextSnapshot(dataDir);
      return build(dataDir, siteDir);
    });
    rmSync(path.dirname(siteDir), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    const m = (key: keyof Omit<Build, 'warmMs' | 'nextMs' | 'nextPeakKiB' | 'releasesBytes'>) =>
      median(builds.map((b) => b[key]));
    measured.set(`${size}×${days}`, {
      warmMs: median(warm.map((b) => b.ms)),
      nextMs: median(next.map((b) => b.ms)),
      nextPeakKiB: median(next.map((b) => b.peakKiB)),
      releasesBytes,
      ms: m('ms'),
      pages: m('pages'),
      bytes: m('bytes'),
      home: m('home'),
      homeGzip: m('homeGzip'),
      peakKiB: m('peakKiB'),
    });
  }

const base = measured.get(`${SIZES[0]}×${DAYS[0]}`)!;
const rows = [...measured].map(([key, b]) => {
  const [size, days] = key.split('×');
  return [
    size!,
    days!,
    String(b.pages),
    fmt.bytes(b.bytes),
    fmt.bytes(b.home),
    fmt.bytes(b.homeGzip),
    Number.isNaN(b.peakKiB) ? 'n/a' : fmt.bytes(b.peakKiB * 1024),
    fmt.s(b.ms),
    fmt.ratio(b.ms / base.ms),
    fmt.ratio(b.bytes / base.bytes),
    fmt.s(b.warmMs),
    fmt.ratio(b.warmMs / b.ms),
    fmt.s(b.nextMs),
    Number.isNaN(b.nextPeakKiB) ? 'n/a' : fmt.bytes(b.nextPeakKiB * 1024),
    fmt.bytes(b.releasesBytes),
  ];
});

/**
 * Marginal cost per extra container (or archived day) on each segment of one axis, the other held
 * fixed: equal slopes mean linear growth, a rising slope superlinear. Fixed costs (Node and Astro
 * start, ~2 s) drop out, which an exponent over totals would hide.
 */
function slopes(axis: 'containers' | 'days'): string[][] {
  const points = axis === 'containers' ? SIZES : DAYS;
  if (points.length < 2) return [];
  const unit = axis === 'containers' ? 'container' : 'day';
  return (axis === 'containers' ? DAYS : SIZES).map((other) => {
    const at = (x: number) =>
      measured.get(axis === 'containers' ? `${x}×${other}` : `${other}×${x}`)!;
    const segments = points.slice(1).map((x, i) => {
      const from = points[i]!;
      const [a, b] = [at(from), at(x)];
      return {
        label: `${from}→${x}`,
        ms: (b.ms - a.ms) / (x - from),
        bytes: (b.bytes - a.bytes) / (x - from),
      };
    });
    const [first, last] = [segments[0]!, segments.at(-1)!];
    return [
      axis === 'containers' ? `${other} days` : `${other} containers`,
      segments.map((g) => `${g.label}: ${fmt.ms(g.ms)}, ${fmt.bytes(g.bytes)}`).join('; ') +
        ` per ${unit}`,
      fmt.ratio(last.ms / first.ms),
      fmt.ratio(last.bytes / first.bytes),
    ];
  });
}

writeResults(
  'build',
  'Site build: containers × archived history',
  runs,
  `Fleets generated from the demo homelab (\`dockpeek-security demo --containers N --days D\` makes the same data), one snapshot archived per day. Build = \`dockpeek-security build\` wall time including Node start (each timed build starts after \`sync\`, the previous one's writes flushed), into an empty site dir with an empty renderer cache, so it includes compiling the pages (once per code version and install: Astro and its bundler, in a process of their own; Node's compile cache stays warm) and its peak memory is the larger of the compile and the build process; ratios are against the ${SIZES[0]} × ${DAYS[0]} row of the same run. A rebuild with nothing changed runs over the published release: unchanged snapshot pages are hard-linked from it instead of rendered, so the kept releases share them on disk. A rebuild after one new snapshot is what a daily refresh does: the current snapshot is taken again a day later and archived (the same containers), then the site is built over the published release (one new snapshot page rendered, the others linked).

${table(
  [
    'containers',
    'archived days',
    'pages',
    'site',
    'home page',
    'home gzip',
    'peak memory',
    'build',
    'build vs first row',
    'site vs first row',
    'rebuild, nothing changed',
    'rebuild / build',
    'rebuild after one new snapshot',
    'its peak memory',
    '3 kept releases on disk',
  ],
  rows,
)}

Growth: the marginal build time and site bytes per extra container (per extra archived day), segment by segment. A last/first slope ratio near 1× is linear growth; well above 1× would be superlinear.

${table(['held fixed', 'marginal cost per segment', 'build slope last/first', 'bytes slope last/first'], [...slopes('containers'), ...slopes('days')])}`,
);
