// What a daily rescan costs with the real Trivy, in the two scan strategies: a first scan of the
// six real-report images (test/real-trivy/cases.ts, each with BENCH_PAYLOAD folders of this
// machine copied in, so that an image has a real size) into an empty data dir, then the next
// day's rescan: the DB due for an update and a new one on the mirror (one advisory added),
// every result past TRIVY_RESULT_TTL, the images unchanged. Trivy CPU is the user + system CPU of
// every trivy process of the scan (bench/lib/trivy-cpu.ts); wall time is the `scan` command's;
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
import { startRealLab } from '../test/real-trivy/lab.ts';
import { startStallingDockerProxy } from '../test/real-trivy/processes.ts';
import { readStored } from '../test/real-trivy/stored.ts';
import { findRealTools } from '../test/real-trivy/tools.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';
import { trivyCpuWrapper } from './lib/trivy-cpu.ts';

const found = findRealTools();
if ('missing' in found) throw new Error(`bench:rescan needs the real Trivy: ${found.missing}`);
const tools = found.tools;
const WORKERS = process.env.BENCH_WORKERS ?? '3';
const PAYLOAD = (process.env.BENCH_PAYLOAD ?? '/usr/lib/python3,/usr/share/doc')
  .split(',')
  .filter(Boolean);
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

const lab = await startRealLab(tools, CASES, { payload: PAYLOAD });
const docker = await startStallingDockerProxy(lab.daemon.socket, /^$/);
const cpu = trivyCpuWrapper(tools.trivy);
const dbs = { today: lab.dbDir, tomorrow: buildDb(tools, lab.carried, [NEW]) };
const publish = (db: string) =>
  pushArtifact(lab.registry.host, 'aquasec/trivy-db:2', {
    data: tarGz(db, ['trivy.db', 'metadata.json']),
    mediaType: DB_LAYER,
    title: 'db.tar.gz',
  });

interface Scan {
  cpuMs: number;
  parts: { clients: number; server: number; setup: number };
  wallMs: number;
  exports: number;
  findings: Map<string, ExpectedFinding[]>;
}

async function scan(env: Record<string, string>): Promise<Scan> {
  const from = cpu.count();
  const requests = docker.requests.length;
  const { ms, value: run } = await timed(() => runCli(['scan'], env));
  if (run.exitCode !== 0)
    throw new Error(`bench setup wrong: scan exited ${run.exitCode}: ${run.stderr}`);
  const parts = { clients: 0, server: 0, setup: 0 };
  // Scans start `image --format`; the DB downloads `image --download-…`; the version check.
  for (const { command, cpuMs } of cpu.read(from))
    parts[
      command.startsWith('server ') ? 'server' : command === 'image --format' ? 'clients' : 'setup'
    ] += cpuMs;
  const stored = readStored(env.DOCKPEEK_DATA_DIR!);
  return {
    cpuMs: parts.clients + parts.server + parts.setup,
    parts,
    wallMs: ms,
    exports: docker.requests.slice(requests).filter((r) => /\/images\/get\b/.test(r)).length,
    findings: new Map([...stored].map(([name, s]) => [name, s.findings ?? []])),
  };
}

/** A day later: every result past TRIVY_RESULT_TTL, and the cached DBs due for an update. */
function nextDay(dataDir: string): void {
  const dbFile = path.join(dataDir, 'db.json');
  const db = JSON.parse(readFileSync(dbFile, 'utf8'));
  for (const record of Object.values<Record<string, string>>(db.scans))
    for (const key of ['scannedAt', 'updatedAt'])
      if (record[key]) record[key] = new Date(Date.parse(record[key]) - 25 * 3600e3).toISOString();
  writeFileSync(dbFile, JSON.stringify(db));
  const yesterday = new Date(Date.now() - 48 * 3600e3).toISOString();
  for (const entry of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
    if (!/(^|\/)(db|java-db)\/metadata\.json$/.test(entry)) continue;
    const file = path.join(dataDir, entry);
    const meta = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...meta, NextUpdate: yesterday, DownloadedAt: yesterday }),
    );
  }
}

function check(which: string, scanned: Scan, extra: ExpectedFinding[] = []): void {
  for (const carried of lab.carried) {
    const want = [
      ...expectedFindings(carried),
      ...(carried.image.name === 'juice-shop' ? extra : []),
    ]
      .map(findingKey)
      .sort();
    const got = (scanned.findings.get(carried.image.name) ?? []).map(findingKey).sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `bench setup wrong: the ${which} of ${carried.image.name} found something else`,
      );
  }
}

async function firstAndRescan(strategy: 'auto' | 'memory'): Promise<[Scan, Scan]> {
  await publish(dbs.today);
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-rescan-'));
  const env: Record<string, string> = {
    ...lab.env(root),
    DOCKER_HOST: docker.url,
    TRIVY_BIN: cpu.bin,
    TRIVY_SCAN_STRATEGY: strategy,
    TRIVY_SCAN_WORKERS: WORKERS,
    TRIVY_SCAN_TIMEOUT: '600s',
  };
  const snapshot = await runCli(['snapshot'], env);
  if (snapshot.exitCode !== 0) throw new Error(snapshot.stderr);
  const first = await scan(env);
  check('first scan', first);
  nextDay(env.DOCKPEEK_DATA_DIR!);
  await publish(dbs.tomorrow);
  const rescan = await scan(env);
  const added = (rescan.findings.get('juice-shop') ?? []).filter((f) => f.id === NEW.id);
  if (added.length !== 1) throw new Error('bench setup wrong: the rescan did not use the new DB');
  check('daily rescan', rescan, added);
  return [first, rescan];
}

try {
  const runs = benchRuns();
  const results: Record<'auto' | 'memory', Array<[Scan, Scan]>> = { auto: [], memory: [] };
  await repeat(runs, async (run) => {
    // Alternate the order, so neither strategy always runs on a warmer (or busier) machine.
    for (const strategy of run % 2
      ? (['memory', 'auto'] as const)
      : (['auto', 'memory'] as const)) {
      console.error(`rescan: run ${run + 1}/${runs}, ${strategy}…`);
      results[strategy].push(await firstAndRescan(strategy));
    }
  });
  const m = (s: 'auto' | 'memory', which: 0 | 1, key: 'cpuMs' | 'wallMs' | 'exports') =>
    median(results[s].map((pair) => pair[which][key]));
  const part = (s: 'auto' | 'memory', which: 0 | 1, key: keyof Scan['parts']) =>
    fmt.s(median(results[s].map((pair) => pair[which].parts[key])));
  const memoryFirst = m('memory', 0, 'cpuMs');
  const rows: Array<Array<string | number>> = [];
  const label = { auto: 'private server', memory: 'memory' } as const;
  for (const s of ['auto', 'memory'] as const)
    for (const [which, name] of [
      [0, 'first scan'],
      [1, 'daily rescan'],
    ] as const)
      rows.push([
        label[s],
        name,
        `${m(s, which, 'exports')} of ${lab.carried.length}`,
        fmt.s(m(s, which, 'cpuMs')),
        fmt.ratio(median(results[s].map((pair) => pair[which].cpuMs / pair[0].cpuMs))),
        fmt.ratio(m(s, which, 'cpuMs') / memoryFirst),
        fmt.s(m(s, which, 'wallMs')),
        fmt.ratio(median(results[s].map((pair) => pair[which].wallMs / pair[0].wallMs))),
        `${part(s, which, 'clients')} / ${part(s, which, 'server')} / ${part(s, which, 'setup')}`,
      ]);
  writeResults(
    'rescan',
    'Daily rescans with the real Trivy: private server against memory mode',
    runs,
    `Trivy v0.74.0 (\`.ci/build-trivy.sh\`), ${WORKERS} workers. ${lab.carried.length} images built from real reports (test/real-trivy/cases.ts), each with ${PAYLOAD.length ? PAYLOAD.map((p) => `\`${p}\``).join(' and ') : 'nothing'} of this machine copied in (files with no advisories in the test DB: they cost analysis, not findings), one layer each. The DB is built by trivy-db from the reports' advisories and pulled from a local registry. Per run and strategy: a first scan into an empty data dir, then the next day's rescan: the cached DB due for an update, a new DB on the mirror with one advisory added, every result past TRIVY_RESULT_TTL, the images unchanged. Every scan's findings are checked against the reports (and the rescan's one new finding).

Trivy CPU is the user + system CPU of every trivy process of the scan (the version check, the DB downloads, the private server, the clients), read by a wrapper from bash's \`times\`. Image exports are the daemon's \`GET /images/get\` answers: a scan that must analyse an image has it exported. Ratios are medians of the per-run ratios.

${table(
  [
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
} finally {
  await docker.close();
  await lab.stop();
}
