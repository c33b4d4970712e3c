// What a daily rescan costs, in the two scan strategies: a first scan of a fleet into an empty
// data dir, then the next day's rescan (a new DB downloaded, every result past TRIVY_RESULT_TTL,
// the images unchanged), with the private trivy server (server) and without it (memory). Trivy
// CPU-seconds are the sum of user + system CPU of every trivy process, as each stand-in process
// logs it (process.cpuUsage()); wall time is the `scan` command's. Medians of BENCH_RUNS (default
// 5). Measured on the stand-in's model of layers (test/trivy-stand-in/README.md). Asserts nothing;
// throws when the findings differ or a server rescan analysed a layer.
//   npm run bench:rescan      (BENCH_WORKERS=3 BENCH_LAYER_SCALE=1)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DbSchema } from '../pipeline/store/schema.ts';
import { runCli } from '../test/helpers/cli.ts';
import { writeFleet, type FleetImage } from '../test/helpers/fleet.ts';
import { STANDIN, isScan, isServer, readInvocations } from '../test/helpers/standin.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';

const WORKERS = process.env.BENCH_WORKERS ?? '3';
const SCALE = Number(process.env.BENCH_LAYER_SCALE ?? 1);
// CPU milliseconds to analyse each layer: the model's proportions (an OS base layer, with its
// package DB and many files, costs most; a runtime less; an application layer least), scaled so
// that a whole image costs 1.6-6.8 s (median 3.8 s): the low end of the first-scan durations
// bench/scan.bench.ts models for real images (log-normal, 1.5-60 s), as if all of such a scan were
// layer analysis. The rescan ratio depends on this choice: at half these costs
// (BENCH_LAYER_SCALE=0.5) the server's rescan was 0.25x of its first scan, at these 0.13x.
const LAYER_COSTS: Record<string, number> = {
  'debian-12': 3000,
  'ubuntu-24.04': 2600,
  'ubi-9': 3600,
  'alpine-3.20': 800,
  'node-22': 1800,
  'python-3.12': 2000,
  'jre-21': 2400,
  'php-8.3': 1400,
};
const APP_LAYER_MS = 800;
// Matching one image's packages against the DB, on the server or in the trivy.
const DETECT_MS = 100;
const IMAGES: Array<[string, string[], string]> = [
  ['nginx:1.27.3', ['debian-12'], 'debian-buster'],
  ['postgres:16.6', ['debian-12'], 'debian-buster'],
  ['nextcloud:30.0.4', ['debian-12', 'php-8.3'], 'npm'],
  ['vaultwarden/server:1.32.7', ['debian-12'], 'debian-buster'],
  ['redis:7.4.1', ['alpine-3.20'], 'alpine-310'],
  ['traefik:v3.2.3', ['alpine-3.20'], 'alpine-39-skip'],
  ['homeassistant/home-assistant:2024.12.5', ['alpine-3.20', 'python-3.12'], 'alpine-310'],
  ['grafana/grafana:11.4.0', ['ubuntu-24.04'], 'sl-micro-rancher5.4'],
  ['ghcr.io/immich-app/immich-server:v1.123.0', ['ubuntu-24.04', 'node-22'], 'npm'],
  ['jellyfin/jellyfin:10.10.3', ['ubuntu-24.04'], 'distroless-base'],
  ['quay.io/keycloak/keycloak:26.0', ['ubi-9', 'jre-21'], 'centos-7'],
  ['registry.example.com/team/app:1.0', ['ubi-9', 'node-22'], 'centos-7'],
];
const FLEET: FleetImage[] = IMAGES.map(([ref, base, report]) => ({
  ref,
  behaviour: { report, ms: 10, layers: [...base, `${ref}-app`] },
  on: { server: 1 },
}));
const LAYER_COUNT = FLEET.reduce(
  (n, i) => n + (i.behaviour as { layers: string[] }).layers.length,
  0,
);

interface Scan {
  cpuMs: number;
  /** CPU of the trivy clients (one per image), of the server, of the version check and DB download. */
  parts: { clients: number; server: number; setup: number };
  wallMs: number;
  analysed: number;
  /** Summary and findings file per reference: must be the same in every scan. */
  findings: string;
}

/** One `scan`, and what its trivy processes logged since `from`. */
async function scan(dir: string, strategy: string, log: string): Promise<Scan> {
  const from = readInvocations(log).length;
  const env = {
    DOCKPEEK_DATA_DIR: dir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    DPK_STANDIN_CONFIG: path.join(dir, 'trivy-standin.json'),
    TRIVY_SCAN_STRATEGY: strategy,
    TRIVY_SCAN_WORKERS: WORKERS,
    TRIVY_SCAN_TIMEOUT: '600s',
    HOME: dir,
  };
  const { ms, value: run } = await timed(() => runCli(['scan'], env));
  if (run.exitCode !== 0)
    throw new Error(`bench setup wrong: scan exited ${run.exitCode}: ${run.stderr}`);
  const calls = readInvocations(log).slice(from);
  // A process logs more than once (a server per Scan); its last line has its whole CPU time.
  const cpu = new Map<number, number>();
  const kind = new Map<number, keyof Scan['parts']>();
  for (const call of calls) {
    cpu.set(call.pid, Math.max(cpu.get(call.pid) ?? 0, call.cpuMs ?? 0));
    kind.set(call.pid, isServer(call) ? 'server' : isScan(call) ? 'clients' : 'setup');
  }
  const parts = { clients: 0, server: 0, setup: 0 };
  for (const [pid, ms] of cpu) parts[kind.get(pid)!] += ms;
  const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')));
  const findings = Object.values(db.scans)
    .map((s) => `${s.ref} ${s.status} ${JSON.stringify(s.summary)} ${s.report}`)
    .sort()
    .join('\n');
  return {
    cpuMs: [...cpu.values()].reduce((a, b) => a + b, 0),
    parts,
    wallMs: ms,
    analysed: calls.filter(isScan).reduce((n, c) => n + (c.layers?.analysed.length ?? 0), 0),
    findings,
  };
}

/** Every scan result a day old: past the default TRIVY_RESULT_TTL of 24 h. */
function ageResults(dir: string): void {
  const file = path.join(dir, 'db.json');
  const db = JSON.parse(readFileSync(file, 'utf8'));
  for (const record of Object.values<Record<string, string>>(db.scans)) {
    for (const key of ['scannedAt', 'updatedAt'])
      if (record[key]) record[key] = new Date(Date.parse(record[key]) - 25 * 3600e3).toISOString();
  }
  writeFileSync(file, JSON.stringify(db));
}

/** A first scan and its daily rescan in a fresh data dir. */
async function firstAndRescan(strategy: string): Promise<[Scan, Scan]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-rescan-'));
  try {
    const costs = Object.fromEntries(
      FLEET.flatMap((i) => (i.behaviour as { layers: string[] }).layers).map((l) => [
        l,
        Math.round((LAYER_COSTS[l] ?? APP_LAYER_MS) * SCALE),
      ]),
    );
    writeFleet(dir, { layerCosts: costs, detectCpuMs: DETECT_MS, dbDownloadMs: 200 }, FLEET);
    const log = path.join(dir, 'trivy.log');
    const first = await scan(dir, strategy, log);
    ageResults(dir);
    const rescan = await scan(dir, strategy, log);
    if (rescan.findings !== first.findings)
      throw new Error(`bench setup wrong: ${strategy} rescan found something else`);
    if (strategy === 'server' && rescan.analysed !== 0)
      throw new Error(`bench setup wrong: the server rescan analysed ${rescan.analysed} layers`);
    return [first, rescan];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = benchRuns();
const results: Record<string, Array<[Scan, Scan]>> = { server: [], memory: [] };
await repeat(runs, async (run) => {
  // Alternate the order, so neither strategy always runs on a warmer (or busier) machine.
  for (const strategy of run % 2 ? ['memory', 'server'] : ['server', 'memory']) {
    console.error(`rescan: run ${run + 1}/${runs}, ${strategy}…`);
    results[strategy]!.push(await firstAndRescan(strategy));
  }
});
if (results.server![0]![0].findings !== results.memory![0]![0].findings)
  throw new Error('bench setup wrong: server and memory mode found different things');

const m = (strategy: string, which: 0 | 1, key: 'cpuMs' | 'wallMs' | 'analysed') =>
  median(results[strategy]!.map((pair) => pair[which][key]));
const part = (strategy: string, which: 0 | 1, key: keyof Scan['parts']) =>
  fmt.s(median(results[strategy]!.map((pair) => pair[which].parts[key])));
const breakdown = (strategy: string, which: 0 | 1) =>
  `${part(strategy, which, 'clients')} in the ${FLEET.length} trivy clients, ${part(strategy, which, 'server')} in the server, ${part(strategy, which, 'setup')} in the version check and the DB download`;
const memoryFirst = m('memory', 0, 'cpuMs');
const rows: Array<Array<string | number>> = [];
for (const strategy of ['server', 'memory'])
  for (const [which, name] of [
    [0, 'first scan'],
    [1, 'daily rescan'],
  ] as const) {
    const cpuRatio = median(results[strategy]!.map((pair) => pair[which].cpuMs / pair[0].cpuMs));
    const wallRatio = median(results[strategy]!.map((pair) => pair[which].wallMs / pair[0].wallMs));
    rows.push([
      strategy,
      name,
      `${m(strategy, which, 'analysed')} of ${LAYER_COUNT}`,
      fmt.s(m(strategy, which, 'cpuMs')),
      fmt.ratio(cpuRatio),
      fmt.ratio(m(strategy, which, 'cpuMs') / memoryFirst),
      fmt.s(m(strategy, which, 'wallMs')),
      fmt.ratio(wallRatio),
    ]);
  }

writeResults(
  'rescan',
  'Daily rescans: private trivy server against memory mode',
  runs,
  `**Measured on the trivy stand-in's model, not on Trivy.** ${FLEET.length} images (${LAYER_COUNT} layers, ${new Set(Object.keys(LAYER_COSTS)).size} of them base and runtime layers shared between images), ${WORKERS} workers. Per image: a first scan into an empty data dir, then the next day's rescan: a new DB downloaded, every result past TRIVY_RESULT_TTL, the images unchanged. Trivy CPU = the sum of user + system CPU of every trivy process of the scan (version check, DB download, server, clients), as each stand-in process reports it from \`process.cpuUsage()\`: real CPU time, spent by the model. Ratios are medians of the per-run ratios; the machine is shared, so CPU time is the steadier figure.

${table(
  [
    'strategy',
    'scan',
    'layers analysed',
    'trivy CPU',
    'CPU vs its first scan',
    'CPU vs memory first scan',
    'wall',
    'wall vs its first scan',
  ],
  rows,
)}

Where the CPU goes (medians): the server's first scan ${breakdown('server', 0)}; its daily rescan ${breakdown('server', 1)}. What is left in a rescan is the start-up of each trivy process, the questions to the server and the matching of each image against the new DB.

What the model takes from Trivy (the stand-in's README says where each comes from): client/server mode as documented (the server holds the DB and the layer cache, "Vulnerability" detection runs on the server, \`/healthz\`, the token), and from Trivy's source the client's flow of \`MissingBlobs\`, analysis of the missing layers only, \`PutBlob\`/\`PutArtifact\`, then \`Scan\`, with blobs kept by cache key across server restarts. What is the model's own: the CPU each layer costs (${Object.entries(
    LAYER_COSTS,
  )
    .map(([l, ms]) => `${l} ${ms * SCALE} ms`)
    .join(
      ', ',
    )}, application layers ${APP_LAYER_MS * SCALE} ms), chosen so that an image costs what the low end of real first scans takes (see the bench's source), the ${DETECT_MS} ms of matching an image against the DB, and the stand-in's own start-up cost per process (a Node program, ~0.2 s of CPU here). Real layers cost what their size and file count make them cost, and real images have more, mostly small, layers; the ratio on real images depends on how large analysis is next to the fixed costs of a rescan.`,
);
