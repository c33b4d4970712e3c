// A warm refresh (nothing changed, every result cached) against a cold one and against a bare
// build of the same data, on a private test dockerd with the trivy stand-in: wall time, trivy
// calls (a warm refresh must make none) and Docker API requests. Medians of BENCH_RUNS (default 5).
// Needs root and docker.io.
//   npm run bench:refresh     (BENCH_CONTAINERS=50 BENCH_IMAGES=10)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startRecordingProxy } from '../test/helpers/recording-proxy.ts';
import { STANDIN, readInvocations } from '../test/helpers/standin.ts';
import { startLab } from './lib/lab.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 50);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 10);
const SCAN_MS = 500;

/** A data dir, site dir and stand-in config and log for refreshes against `socket`. */
function createEnv(socket: string) {
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-refresh-'));
  const config = path.join(root, 'standin.json');
  writeFileSync(
    config,
    JSON.stringify({ default: { report: 'debian-buster', ms: SCAN_MS }, dbDownloadMs: 200 }),
  );
  const log = path.join(root, 'trivy.log');
  return {
    root,
    log,
    env: {
      DOCKER_HOST: `unix://${socket}`,
      DOCKER_HOST_NAME: 'bench',
      DOCKPEEK_DATA_DIR: path.join(root, 'data'),
      DOCKPEEK_SITE_DIR: path.join(root, 'www', 'site'),
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      DPK_STANDIN_LOG: log,
      HOME: root,
      // No network here, and feeds have their own bench (bench:epss): measure what was measured.
      DOCKPEEK_FEEDS: '0',
    },
  };
}

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  const run = await timed(() =>
    execa(process.execPath, ['bin/dockpeek-security.mjs', ...args, '--quiet'], {
      env,
      reject: false,
    }),
  );
  if (run.value.exitCode !== 0) throw new Error(`${args[0]} failed: ${run.value.stderr}`);
  return run.ms;
}

const runs = benchRuns();
console.error('refresh: starting a private dockerd…');
const lab = await startLab(IMAGES);
let body: string;
try {
  await lab.growTo(CONTAINERS);
  const socket = lab.daemon.socket;
  console.error(`refresh: ${runs} cold refreshes…`);
  const cold = await repeat(runs, async () => {
    const { root, log, env } = createEnv(socket);
    const ms = await cli(['refresh'], env);
    const calls = readInvocations(log).length;
    rmSync(root, { recursive: true, force: true });
    return { ms, calls };
  });
  // Warm: one data dir, refreshed again and again with nothing changed.
  const { root, log, env } = createEnv(socket);
  await cli(['refresh'], env);
  const proxy = await startRecordingProxy(path.join(lab.daemon.dir, 'proxy.sock'), socket);
  const before = readInvocations(log).length;
  console.error(`refresh: ${runs} warm refreshes…`);
  const warm = await repeat(runs, () =>
    cli(['refresh'], { ...env, DOCKER_HOST: `unix://${proxy.socket}` }),
  );
  const warmCalls = readInvocations(log).length - before;
  const dockerRequests = proxy.requests.length / runs;
  await proxy.close();
  console.error(`refresh: ${runs} builds of the same data…`);
  const builds = await repeat(runs, () => cli(['build'], env));
  rmSync(root, { recursive: true, force: true });

  const warmMs = median(warm);
  const buildMs = median(builds);
  const coldMs = median(cold.map((c) => c.ms));
  body = `${CONTAINERS} created containers of ${IMAGES} images on a private dockerd; the trivy stand-in takes ${SCAN_MS} ms per image (3 workers). A cold refresh starts from an empty data dir; a warm one follows a refresh with nothing changed, so every scan result (24 h TTL) and update check (6 h) is reused.

${table(
  ['run', 'wall (median)', 'vs warm refresh', 'trivy calls per run', 'Docker API requests per run'],
  [
    [
      'cold refresh',
      fmt.s(coldMs),
      fmt.ratio(coldMs / warmMs),
      String(median(cold.map((c) => c.calls))),
      '—',
    ],
    ['warm refresh', fmt.s(warmMs), fmt.ratio(1), String(warmCalls / runs), String(dockerRequests)],
    ['build alone (same data)', fmt.s(buildMs), fmt.ratio(buildMs / warmMs), '0', '0'],
  ],
)}

Warm refresh minus build alone: ${fmt.ms(warmMs - buildMs)} — the snapshot, cache checks, lock, archive and retention on top of the build (noise when near zero). Trivy calls across all ${runs} warm refreshes: ${warmCalls}.`;
} finally {
  await lab.daemon.stop();
}
writeResults('refresh', 'Warm refresh', runs, body);
