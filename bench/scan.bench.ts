// Scan makespan with N workers vs the ideal max(longest, total/N) and vs 1 worker, measured in the
// same run on the trivy stand-in with realistic per-image durations. Prints ratios, asserts nothing.
//   npm run bench            (BENCH_IMAGES=40 BENCH_SCALE=0.05 to change the fleet)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { emptyDb } from '../pipeline/store/schema.ts';
import { fleetSnapshot, type FleetImage } from '../test/helpers/fleet.ts';
import { STANDIN, isScan, maxOverlap, readInvocations } from '../test/helpers/standin.ts';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 40);
// Real scans of a cached-DB image take ~2-40 s; scaled so the bench runs in under a minute.
const SCALE = Number(process.env.BENCH_SCALE ?? 0.05);
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

const random = createRandom(42);
const fleet: FleetImage[] = Array.from({ length: IMAGES }, (_, i) => ({
  ref: `bench/image-${String(i).padStart(3, '0')}:1`,
  behaviour: {
    report: REPORTS[i % REPORTS.length]!,
    ms: Math.round(realisticSeconds(random) * 1000 * SCALE),
  },
  on: { server: 1 },
}));

async function measure(workers: number) {
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
  const started = performance.now();
  const run = await execa(
    process.execPath,
    ['bin/dockpeek-security.mjs', 'scan', '--workers', String(workers), '--quiet'],
    {
      env: {
        DOCKPEEK_DATA_DIR: dir,
        TRIVY_BIN: STANDIN,
        TRIVY_STANDIN_CONFIG: config,
        TRIVY_STANDIN_LOG: log,
        NO_COLOR: '1',
      },
      reject: false,
    },
  );
  const wallMs = performance.now() - started;
  if (run.exitCode !== 0) throw new Error(`scan failed: ${run.stderr}`);
  const scans = readInvocations(log).filter(isScan);
  const durations = scans.map((s) => s.end - s.start);
  // The product's own per-image time: trivy's whole life, process start and exit included.
  const db = JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')) as {
    scans: Record<string, { durationMs: number }>;
  };
  const processMs = Object.values(db.scans).map((r) => r.durationMs);
  return {
    workers,
    makespanMs: Math.max(...scans.map((s) => s.end)) - Math.min(...scans.map((s) => s.start)),
    wallMs,
    totalMs: durations.reduce((a, b) => a + b, 0),
    longestMs: Math.max(...durations),
    overlap: maxOverlap(scans.map((s) => [s.start, s.end])),
    scans: scans.length,
    processTotalMs: processMs.reduce((a, b) => a + b, 0),
    processLongestMs: Math.max(...processMs),
  };
}

const parallel = Number(process.env.TRIVY_SCAN_WORKERS ?? 3);
const one = await measure(1);
const many = await measure(parallel);
const ideal = Math.max(many.longestMs, many.totalMs / parallel);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const planned = fleet.reduce((a, f) => a + ('ms' in f.behaviour ? (f.behaviour.ms ?? 0) : 0), 0);

console.log(
  `scan makespan: ${IMAGES} images, stand-in durations ${s(planned)} in total (scale ${SCALE})`,
);
console.log(
  `  workers=1: makespan ${s(one.makespanMs)} (wall ${s(one.wallMs)}), ${one.scans} scans, max concurrent ${one.overlap}`,
);
console.log(
  `  workers=${parallel}: makespan ${s(many.makespanMs)} (wall ${s(many.wallMs)}), ${many.scans} scans, max concurrent ${many.overlap}`,
);
console.log(
  `  ideal for ${parallel} workers = max(longest ${s(many.longestMs)}, total ${s(many.totalMs)}/${parallel}) = ${s(ideal)}`,
);
console.log(
  `  ratio makespan/ideal (workers=${parallel}): ${(many.makespanMs / ideal).toFixed(3)}   (1.000 is perfect)`,
);
const processIdeal = Math.max(many.processLongestMs, many.processTotalMs / parallel);
console.log(
  `  counting each trivy's process start/exit as part of its image: ideal ${s(processIdeal)}, ratio ${(many.makespanMs / processIdeal).toFixed(3)}`,
);
console.log(
  `  ratio workers=1 / workers=${parallel} makespan: ${(one.makespanMs / many.makespanMs).toFixed(2)}x   (ideal ${(one.totalMs / ideal).toFixed(2)}x)`,
);
console.log(
  `  per-scan overhead (workers=1): ${((one.makespanMs - planned) / one.scans).toFixed(0)} ms above the stand-in's own duration`,
);
