// What a daily rescan costs with the real Trivy, in the two scan strategies: a first scan of the
// six real-report images (test/real-trivy/cases.ts) into an empty data dir, then the next day's
// rescan: the DB due for an update and a new one on the mirror (one advisory added), every result
// past TRIVY_RESULT_TTL, the images unchanged. At two image sizes (BENCH_PAYLOADS: folders of this
// machine copied into every image, files with no advisories in the test DB), since the rescan's
// share is what is left of a scan once nothing needs analysing. Trivy CPU is the user + system CPU
// of every trivy process of the scan (bench/lib/trivy-cpu.ts); wall time is the `scan` command's;
// image exports are the daemon's `GET /images/get` answers. Medians of BENCH_RUNS (default 5).
// Asserts nothing; throws when a scan finds anything but its report's findings (and, in the
// rescan, the new advisory's one finding).
//   npm run bench:rescan      (DOCKPEEK_REAL_TRIVY, root, dockerd; BENCH_WORKERS=3)
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../test/helpers/cli.ts';
import { CASES } from '../test/real-trivy/cases.ts';
import { DB_LAYER, buildDb, pushArtifact, tarGz } from '../test/real-trivy/db.ts';
import { expectedFindings, findingKey, type ExpectedFinding } from '../test/real-trivy/expected.ts';
import { ghsaRecord } from '../test/real-trivy/ghsa.ts';
import { startRealLab, type RealLab } from '../test/real-trivy/lab.ts';
import { startStallingDockerProxy } from '../test/real-trivy/processes.ts';
import { readStored } from '../test/real-trivy/stored.ts';
import { findRealTools } from '../test/real-trivy/tools.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';
import { trivyCpuWrapper, type TrivyCpu } from './lib/trivy-cpu.ts';

const found = findRealTools();
if ('missing' in found) throw new Error(`bench:rescan needs the real Trivy: ${found.missing}`);
const tools = found.tools;
const WORKERS = process.env.BENCH_WORKERS ?? '3';
const PAYLOADS = (
  process.env.BENCH_PAYLOADS ??
  '/usr/lib/python3,/usr/share/doc;/usr/lib/python3,/usr/share/doc,/usr/lib/x86_64-linux-gnu'
)
  .split(';')
  .map((list) => list.split(',').filter(Boolean));
// Published overnight: the rescan must find it in juice-shop's messageformat, and nothing else new.
const NEW = ghsaRecord({
  ghsaId: 'GHSA-dpk0-new0-0001',
  aliases: [],
  summary: 'Synthetic advisory published overnight',
  severity: 'CRITICAL',
  ecosystem: 'npm',
  pkg: 'messageformat',
  fixed: ['9.9.9'],
  published: '2026-12-01T00:00:00Z',
});

interface Scan {
  cpuMs: number;
  parts: { clients: number; server: number; setup: number };
  wallMs: number;
  exports: number;
  findings: Map<string, ExpectedFinding[]>;
}

/** What one lab (one image size) needs to run scans. */
interface Bench {
  lab: RealLab;
  docker: Awaited<ReturnType<typeof startStallingDockerProxy>>;
  cpu: TrivyCpu;
  dbs: { today: string; tomorrow: string };
}

async function scan(bench: Bench, env: Record<string, string>): Promise<Scan> {
  const from = bench.cpu.count();
  const requests = bench.docker.requests.length;
  const { ms, value: run } = await timed(() => runCli(['scan'], env));
  if (run.exitCode !== 0)
    throw new Error(`bench setup wrong: scan exited ${run.exitCode}: ${run.stderr}`);
  const parts = { clients: 0, server: 0, setup: 0 };
  // Scans start `image --format`; the DB downloads `image --download-…`; the version check.
  for (const { command, cpuMs } of bench.cpu.read(from))
    parts[
      command.startsWith('server ') ? 'server' : command === 'image --format' ? 'clients' : 'setup'
    ] += cpuMs;
  const stored = readStored(env.DOCKPEEK_DATA_DIR!);
  return {
    cpuMs: parts.clients + parts.server + parts.setup,
    parts,
    wallMs: ms,
    exports: bench.docker.requests.slice(requests).filter((r) => /\/images\/get\b/.test(r)).length,
    findings: new Map([...stored].map(([name, s]) => [name, s.findings ?? []])),
  };
}

/**
 * A day later: every result past TRIVY_RESULT_TTL, and the cached vulnerability DB due for an
 * update (the Java DB keeps its own, slower schedule, and stays as it was).
 */
function nextDay(dataDir: string): void {
  const dbFile = path.join(dataDir, 'db.json');
  const db = JSON.parse(readFileSync(dbFile, 'utf8'));
  for (const record of Object.values<Record<string, string>>(db.scans))
    for (const key of ['scannedAt', 'updatedAt'])
      if (record[key]) record[key] = new Date(Date.parse(record[key]) - 25 * 3600e3).toISOString();
  writeFileSync(dbFile, JSON.stringify(db));
  const yesterday = new Date(Date.now() - 48 * 3600e3).toISOString();
  for (const entry of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
    if (!/(^|\/)db\/metadata\.json$/.test(entry)) continue;
    const file = path.join(dataDir, entry);
    const meta = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...meta, NextUpdate: yesterday, DownloadedAt: yesterday }),
    );
  }
}

function check(bench: Bench, which: string, scanned: Scan, extra: ExpectedFinding[] = []): void {
  for (const carried of bench.lab.carried) {
    const own = carried.image.name === 'juice-shop' ? extra : [];
    const want = [...expectedFindings(carried), ...own].map(findingKey).sort();
    const got = (scanned.findings.get(carried.image.name) ?? []).map(findingKey).sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `bench setup wrong: the ${which} of ${carried.image.name} found something else`,
      );
  }
}

async function firstAndRescan(bench: Bench, strategy: 'auto' | 'memory'): Promise<[Scan, Scan]> {
  const publish = (db: string) =>
    pushArtifact(bench.lab.registry.host, 'aquasec/trivy-db:2', {
      data: tarGz(db, ['trivy.db', 'metadata.json']),
      mediaType: DB_LAYER,
      title: 'db.tar.gz',
    });
  await publish(bench.dbs.today);
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-rescan-'));
  const env: Record<string, string> = {
    ...bench.lab.env(root),
    DOCKER_HOST: bench.docker.url,
    TRIVY_BIN: bench.cpu.bin,
    TRIVY_SCAN_STRATEGY: strategy,
    TRIVY_SCAN_WORKERS: WORKERS,
    TRIVY_SCAN_TIMEOUT: '600s',
  };
  const snapshot = await runCli(['snapshot'], env);
  if (snapshot.exitCode !== 0) throw new Error(snapshot.stderr);
  const first = await scan(bench, env);
  check(bench, 'first scan', first);
  nextDay(env.DOCKPEEK_DATA_DIR!);
  await publish(bench.dbs.tomorrow);
  const rescan = await scan(bench, env);
  const added = (rescan.findings.get('juice-shop') ?? []).filter((f) => f.id === NEW.id);
  if (added.length !== 1) throw new Error('bench setup wrong: the rescan did not use the new DB');
  check(bench, 'daily rescan', rescan, added);
  return [first, rescan];
}

/** Both strategies at one image size; the table's rows. */
async function measure(payload: string[], runs: number): Promise<Array<Array<string | number>>> {
  const lab = await startRealLab(tools, CASES, { payload });
  const bench: Bench = {
    lab,
    docker: await startStallingDockerProxy(lab.daemon.socket, /^$/),
    cpu: trivyCpuWrapper(tools.trivy),
    dbs: { today: lab.dbDir, tomorrow: buildDb(tools, lab.carried, [NEW]) },
  };
  try {
    const sizes = await Promise.all(
      lab.carried.map(async (c) => (await lab.daemon.docker.getImage(c.image.ref).inspect()).Size),
    );
    const size = `${Math.round(median(sizes) / 1024 ** 2)} MiB`;
    const results: Record<'auto' | 'memory', Array<[Scan, Scan]>> = { auto: [], memory: [] };
    await repeat(runs, async (run) => {
      // Alternate the order, so neither strategy always runs on a warmer (or busier) machine.
      const order = run % 2 ? (['memory', 'auto'] as const) : (['auto', 'memory'] as const);
      for (const strategy of order) {
        console.error(`rescan: images of ${size}, run ${run + 1}/${runs}, ${strategy}…`);
        results[strategy].push(await firstAndRescan(bench, strategy));
      }
    });
    const m = (s: 'auto' | 'memory', which: 0 | 1, key: 'cpuMs' | 'wallMs' | 'exports') =>
      median(results[s].map((pair) => pair[which][key]));
    const part = (s: 'auto' | 'memory', which: 0 | 1, key: keyof Scan['parts']) =>
      fmt.s(median(results[s].map((pair) => pair[which].parts[key])));
    const ratio = (s: 'auto' | 'memory', which: 0 | 1, key: 'cpuMs' | 'wallMs') =>
      fmt.ratio(median(results[s].map((pair) => pair[which][key] / pair[0][key])));
    const rows: Array<Array<string | number>> = [];
    for (const s of ['auto', 'memory'] as const)
      for (const [which, name] of [
        [0, 'first scan'],
        [1, 'daily rescan'],
      ] as const)
        rows.push([
          size,
          s === 'auto' ? 'private server' : 'memory',
          name,
          `${m(s, which, 'exports')} of ${lab.carried.length}`,
          fmt.s(m(s, which, 'cpuMs')),
          ratio(s, which, 'cpuMs'),
          fmt.ratio(m(s, which, 'cpuMs') / m('memory', 0, 'cpuMs')),
          fmt.s(m(s, which, 'wallMs')),
          ratio(s, which, 'wallMs'),
          `${part(s, which, 'clients')} / ${part(s, which, 'server')} / ${part(s, which, 'setup')}`,
        ]);
    return rows;
  } finally {
    await bench.docker.close();
    await lab.stop();
  }
}

const runs = benchRuns();
const rows: Array<Array<string | number>> = [];
for (const payload of PAYLOADS) rows.push(...(await measure(payload, runs)));
writeResults(
  'rescan',
  'Daily rescans with the real Trivy: private server against memory mode',
  runs,
  `Trivy v0.74.0 (\`.ci/build-trivy.sh\`), ${WORKERS} workers. ${CASES.length} images built from real reports (test/real-trivy/cases.ts), one layer each, at two sizes: with ${PAYLOADS.map((p) => p.map((f) => `\`${f}\``).join(', ')).join(', then ')} of this machine copied in (files with no advisories in the test DB: they cost analysis, not findings); "image size" is the median of the six. The DB is built by trivy-db from the reports' advisories and pulled from a local registry. Per run and strategy: a first scan into an empty data dir, then the next day's rescan: the cached DB due for an update, a new DB on the mirror with one advisory added, every result past TRIVY_RESULT_TTL, the images unchanged. Every scan's findings are checked against the reports (and the rescan's one new finding). The first scan of the jar image runs twice: it needs the Java DB, which the run then downloads once (hence 7 exports of 6).

Trivy CPU is the user + system CPU of every trivy process of the scan (the version check, the DB downloads, the private server, the clients), read by a wrapper from bash's \`times\`. Image exports are the daemon's \`GET /images/get\` answers: a scan that must analyse an image has it exported. Ratios are medians of the per-run ratios.

${table(
  [
    'image size',
    'strategy',
    'scan',
    'image exports',
    'trivy CPU',
    'CPU vs its first scan',
    'CPU vs memory first scan',
    'wall',
    'wall vs its first scan',
    'CPU: clients / server / setup',
  ],
  rows,
)}`,
);
