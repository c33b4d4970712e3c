// Scan makespan with 1, 3 and 6 workers against the ideal max(longest, total/workers), on the trivy
// stand-in with realistic per-image durations; then the same fleet with 8 images that time out.
// Medians of BENCH_RUNS (default 5) runs per row. Prints ratios, asserts nothing.
//   npm run bench:scan        (BENCH_IMAGES=40 BENCH_SCALE=0.05 BENCH_WORKERS="1 3 6")
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { emptyDb } from '../pipeline/store/schema.ts';
import { fleetSnapshot, type FleetImage } from '../test/helpers/fleet.ts';
import { STANDIN, isScan, maxOverlap, readInvocations } from '../test/helpers/standin.ts';
import { benchRuns, fmt, median, repeat } from './lib/stats.ts';
import { table, writeResults } from './lib/results.ts';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 40);
// Real scans of a cached-DB image take ~2-40 s; scaled so the bench runs in minutes.
const SCALE = Number(process.env.BENCH_SCALE ?? 0.05);
const WORKERS = (process.env.BENCH_WORKERS ?? '1 3 6').split(/\s+/).map(Number);
const TIMING_OUT = 8;
// Scaled like the durations: a 60 s --scan-timeout × SCALE.
const SCAN_TIMEOUT_MS = Math.round(60_000 * SCALE);
const REPORTS = [
  'debian-buster',
  'alpine-310',
  'centos-7',
  'distroless-base',
  'npm',
  'sl-micro-rancher5.4',
];

/** Deterministic pseudo-random numbers, so runs compare. */
function createRandom(seed: number): () => number {
  return () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Log-normal-ish durations: most images a few seconds, a long tail of big ones. */
function realisticSeconds(random: () => number): number {
  const gaussian = Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  return Math.min(60, Math.max(1.5, Math.exp(1.6 + 0.7 * gaussian)));
}

function createFleet(timingOut: number): FleetImage[] {
  const random = createRandom(42);
  return Array.from({ length: IMAGES }, (_, i) => ({
    ref: `bench/image-${String(i).padStart(3, '0')}:1`,
    behaviour: {
      report: REPORTS[i % REPORTS.length]!,
      // Every fifth image, up to `timingOut` of them, takes longer than the scan timeout.
      ms:
        i % 5 === 2 && i / 5 < timingOut
          ? SCAN_TIMEOUT_MS * 4
          : Math.round(realisticSeconds(random) * 1000 * SCALE),
    },
    on: { server: 1 },
  }));
}

interface Run {
  makespanMs: number;
  /** max(longest, total/workers) over what each trivy took in this run. */
  idealMs: number;
  /** The same with each trivy's process start and exit counted (the product's durationMs). */
  processIdealMs: number;
  overlap: number;
  scans: number;
  timedOut: number;
}

async function measure(fleet: FleetImage[], workers: number): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-'));
  const log = path.join(dir, 'trivy.log');
  const config = path.join(dir, 'standin.json');
  writeFileSync(
    path.join(dir, 'db.json'),
    JSON.stringify({
      ...emptyDb(),
      snapshot: fleetSnapshot({ server: 'unix:///s', nas: 'tcp://n:2375' }, fleet),
    }),
  );
  writeFileSync(
    config,
    JSON.stringify({
      images: Object.fromEntries(fleet.map((f) => [f.ref, f.behaviour])),
      dbDownloadMs: 100,
    }),
  );
  const run = await execa(
    process.execPath,
    [
      'bin/dockpeek-security.mjs',
      'scan',
      '--workers',
      String(workers),
      '--scan-timeout',
      `${SCAN_TIMEOUT_MS}ms`,
      '--quiet',
    ],
    {
      env: {
        DOCKPEEK_DATA_DIR: dir,
        TRIVY_BIN: STANDIN,
        DPK_STANDIN_CONFIG: config,
        DPK_STANDIN_LOG: log,
        NO_COLOR: '1',
      },
      reject: false,
    },
  );
  const db = JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')) as {
    scans: Record<string, { durationMs: number; state: string; error?: { code: string } }>;
  };
  const records = Object.values(db.scans);
  const timedOut = records.filter((r) => r.error?.code === 'scan_timeout').length;
  if (run.exitCode !== (timedOut > 0 ? 2 : 0)) throw new Error(`scan failed: ${run.stderr}`);
  const scans = readInvocations(log).filter(isScan);
  rmSync(dir, { recursive: true, force: true });
  const durations = scans.map((s) => s.end - s.start);
  const ideal = (xs: number[]) =>
    Math.max(Math.max(...xs), xs.reduce((a, b) => a + b, 0) / workers);
  return {
    makespanMs: Math.max(...scans.map((s) => s.end)) - Math.min(...scans.map((s) => s.start)),
    idealMs: ideal(durations),
    processIdealMs: ideal(records.map((r) => r.durationMs)),
    overlap: maxOverlap(scans.map((s) => [s.start, s.end])),
    scans: scans.length,
    timedOut,
  };
}

const runs = benchRuns();
const rows: string[][] = [];
for (const [label, timingOut] of [
  ['no timeouts', 0],
  [`${TIMING_OUT} time out`, TIMING_OUT],
] as const) {
  const fleet = createFleet(timingOut);
  let oneWorker: number | undefined;
  for (const workers of WORKERS) {
    console.error(`scan: ${label}, ${workers} worker(s), ${runs} runs…`);
    const results = await repeat(runs, () => measure(fleet, workers));
    const m = (key: keyof Run) => median(results.map((r) => r[key]));
    oneWorker ??= m('makespanMs');
    rows.push([
      label,
      String(workers),
      `${m('scans')} (${m('timedOut')} timed out)`,
      String(Math.max(...results.map((r) => r.overlap))),
      fmt.s(m('makespanMs')),
      fmt.s(m('idealMs')),
      fmt.ratio(median(results.map((r) => r.makespanMs / r.idealMs))),
      fmt.ratio(median(results.map((r) => r.makespanMs / r.processIdealMs))),
      fmt.ratio(oneWorker / m('makespanMs')),
    ]);
  }
}

writeResults(
  'scan',
  'Scan makespan vs the ideal',
  runs,
  `${IMAGES} images on the trivy stand-in, log-normal durations (real 1.5-60 s, scaled ×${SCALE}); scan timeout ${fmt.s(SCAN_TIMEOUT_MS)} (60 s scaled) — the "time out" rows have ${TIMING_OUT} images that run 4× past it.
Ideal = max(longest scan, total scan time / workers) from the stand-in's own start/end times in the same run; "with process start" counts each trivy's whole life as the product records it.

${table(
  [
    'fleet',
    'workers',
    'scans',
    'max concurrent',
    'makespan',
    'ideal',
    'makespan / ideal',
    'makespan / ideal with process start',
    'speed-up vs 1 worker',
  ],
  rows,
)}`,
);
