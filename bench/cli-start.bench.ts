// CLI start: `--help`, `--version`, `export` of the demo store and `snapshot` of 220 containers
// (into a fresh data dir, and into one with a year of history), each a fresh process, against a
// bare `node -e 0`, one raw list call on the same private dockerd, and the floor (a plain script
// doing snapshot's I/O and nothing else), with Node's compile cache off, warm and cold (an empty
// cache: the first run after an install or an upgrade). Each round runs every row once, so drift
// hits all alike; medians of BENCH_RUNS (default 5). Needs root, docker.io and GNU time.
//   npm run bench:cli-start     (BENCH_CONTAINERS=220 BENCH_DAYS=365: the history row's archives)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDemoData } from '../pipeline/demo/create-demo-data.ts';
import { startLab } from './lib/lab.ts';
import { measureProcess, readLoadAverage, type ProcessTime } from './lib/process-time.ts';
import { rawList } from './lib/raw-list.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, timed } from './lib/stats.ts';

const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 220);
const PROJECT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(PROJECT, 'bin/dockpeek-security.mjs');
const NODE = process.execPath;
const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-start-'));
const demoDir = path.join(root, 'demo');
const snapDir = path.join(root, 'snap');
const historyDir = path.join(root, 'history');
const floorDir = path.join(root, 'floor');
const FLOOR = path.join(PROJECT, 'bench/lib/snapshot-floor.mjs');
const HISTORY_DAYS = Number(process.env.BENCH_DAYS ?? 365);

/** How each mode sets the compile cache: Node's own variables, which the CLI honours. */
const MODES: Record<string, () => Record<string, string>> = {
  off: () => ({ NODE_DISABLE_COMPILE_CACHE: '1' }),
  warm: () => ({ NODE_COMPILE_CACHE: path.join(root, 'warm-cache') }),
  cold: () => ({ NODE_COMPILE_CACHE: mkdtempSync(path.join(root, 'cold-')) }),
};

interface Row {
  name: string;
  args: string[];
  env?: Record<string, string>;
  goal?: { text: string; met(f: { wallMs: number; ratio: number; rawMs: number }): boolean };
  /** Snapshot rows: time a raw list call on the same daemon just before. */
  raw?: boolean;
  /** What the run must have printed or written; a run that did not is an error, not a figure. */
  produced(run: ProcessTime): boolean;
}

const snapshotGoal: Row['goal'] = {
  text: '≤ raw list + 150 ms',
  met: (f) => f.wallMs <= f.rawMs + 150,
};

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const countIn = (file: string) =>
  readJson<{ snapshot: { containers: unknown[] } }>(file).snapshot.containers.length;
const { version } = readJson<{ version: string }>(path.join(PROJECT, 'package.json'));

/** One measured run of a row; throws when it failed or did not do its job. */
async function measure(row: Row, cache: Record<string, string>): Promise<ProcessTime> {
  const run = await measureProcess(NODE, row.args, { ...row.env, ...cache });
  if (run.exitCode !== 0 || !row.produced(run))
    throw new Error(`${row.name}: exit ${run.exitCode}, not what it should do\n${run.stderr}`);
  return run;
}

const runs = benchRuns();
const loadBefore = readLoadAverage();
console.error('cli-start: making the demo store…');
const demoSite = path.join(root, 'demo-site');
await measure(
  {
    name: 'demo',
    args: [BIN, 'demo', '-q', '--keep-data', demoDir, '--site-dir', demoSite],
    produced: () => true,
  },
  {},
);
const demoCount = countIn(path.join(demoDir, 'db.json'));
// A data dir with a year of history (the demo homelab at this size), as a daily cron finds it:
// what `snapshot` does must not grow with the archives kept.
console.error(`cli-start: a data dir with ${HISTORY_DAYS} archived days…`);
await createDemoData(historyDir, new Date(), CONTAINERS, HISTORY_DAYS);
console.error(`cli-start: a private dockerd with ${CONTAINERS} containers…`);
const lab = await startLab(10);
let body = '';
try {
  await lab.growTo(CONTAINERS);
  const socket = lab.daemon.socket;
  if ((await rawList(socket)) !== CONTAINERS) throw new Error('the daemon lists another count');
  const rows: Row[] = [
    {
      name: '`--help`',
      args: [BIN, '--help'],
      goal: { text: '≤ 3× node -e 0', met: (f) => f.ratio <= 3 },
      produced: (r) => r.stdout.startsWith('Usage: dockpeek-security [options] [command]'),
    },
    { name: '`--version`', args: [BIN, '--version'], produced: (r) => r.stdout.trim() === version },
    {
      name: `\`export\` (demo store, ${demoCount} containers)`,
      args: [BIN, 'export', '--data-dir', demoDir],
      goal: { text: '≤ 5× node -e 0', met: (f) => f.ratio <= 5 },
      produced: (r) => JSON.parse(r.stdout).containers.length === demoCount,
    },
    {
      name: `\`snapshot\` (${CONTAINERS} containers)`,
      args: [BIN, 'snapshot', '--quiet', '--data-dir', snapDir],
      env: { DOCKER_HOST: `unix://${socket}`, DOCKER_HOST_NAME: 'bench' },
      goal: snapshotGoal,
      raw: true,
      produced: () => countIn(path.join(snapDir, 'db.json')) === CONTAINERS,
    },
    {
      name: `\`snapshot\` (${CONTAINERS} containers, ${HISTORY_DAYS} archived days)`,
      args: [BIN, 'snapshot', '--quiet', '--data-dir', historyDir],
      env: { DOCKER_HOST: `unix://${socket}`, DOCKER_HOST_NAME: 'bench' },
      goal: snapshotGoal,
      raw: true,
      produced: () => countIn(path.join(historyDir, 'db.json')) === CONTAINERS,
    },
  ];
  // Fill the warm cache (and check every row once) before measuring anything.
  for (const row of rows) await measure(row, MODES.warm!());
  // The floor: the same I/O as `snapshot` in a plain script, with nothing else (snapshot-floor.mjs).
  const floorRow: Row = {
    name: `floor: the same I/O, nothing else (\`bench/lib/snapshot-floor.mjs\`)`,
    args: [FLOOR, socket, floorDir],
    goal: snapshotGoal,
    produced: () => countIn(path.join(floorDir, 'db.json')) === CONTAINERS,
  };
  await measure(floorRow, {});
  const baseline: ProcessTime[] = [];
  const floor: ProcessTime[] = [];
  const samples = new Map<string, { row: Row; mode: string; runs: ProcessTime[] }>();
  const raw: number[] = [];
  for (let round = 0; round < runs; round++) {
    console.error(`cli-start: round ${round + 1} of ${runs}…`);
    baseline.push(await measureProcess(NODE, ['-e', '0'], {}));
    raw.push((await timed(() => rawList(socket))).ms); // the raw call before the floor, too
    floor.push(await measure(floorRow, {}));
    for (const [mode, cache] of Object.entries(MODES)) {
      for (const row of rows) {
        if (row.raw) raw.push((await timed(() => rawList(socket))).ms);
        const run = await measure(row, cache());
        const key = `${mode} ${row.name}`;
        samples.set(key, { row, mode, runs: [...(samples.get(key)?.runs ?? []), run] });
      }
    }
  }
  const rawMs = median(raw);
  const baseCpu = median(baseline.map((r) => r.cpuMs));
  const describe = (name: string, mode: string, list: ProcessTime[], row?: Row) => {
    const wallMs = median(list.map((r) => r.wallMs));
    const ratio = median(list.map((r, i) => r.wallMs / baseline[i]!.wallMs));
    const cpuMs = median(list.map((r) => r.cpuMs));
    const rss = median(list.map((r) => r.peakRssMiB)) * 1024 * 1024;
    const met = row?.goal ? (row.goal.met({ wallMs, ratio, rawMs }) ? 'yes' : 'no') : '';
    const goal = row?.goal?.text ?? '';
    const cpu = [fmt.ms(cpuMs), fmt.ratio(cpuMs / baseCpu)];
    return [name, mode, fmt.ms(wallMs), fmt.ratio(ratio), ...cpu, fmt.bytes(rss), goal, met];
  };
  const lines = [
    describe('`node -e 0`', '—', baseline),
    describe(floorRow.name, '—', floor, floorRow),
    ...[...samples.values()].map((s) => describe(s.row.name, s.mode, s.runs, s.row)),
  ];
  const header = ['run', 'compile cache', 'wall', '× node -e 0', 'CPU', 'CPU × node -e 0'];
  body = `Each row is a fresh process started by the bench: wall time around the spawn; CPU is user + system as GNU time counts it (10 ms steps). "× node -e 0" is the median of each round's ratio to a bare \`node -e 0\` of the same round. Compile cache: **off** \`NODE_DISABLE_COMPILE_CACHE=1\`; **warm** \`NODE_COMPILE_CACHE\` filled by an earlier run (every run after the first); **cold** an empty cache dir (the first run after an install or an upgrade, which also writes the cache). The raw list call is one \`GET /containers/json?all=1\` read and JSON-parsed in the bench's own process, on the same daemon, just before each snapshot run: median ${fmt.ms(rawMs)}, so the snapshot goal is ≤ ${fmt.ms(rawMs + 150)}. The **floor** row is a plain script that does the same I/O as \`snapshot\` and nothing else: it reads db.json, asks \`/_ping\`, lists containers and images, and writes db.json and one archive file, with no validation, lock or CLI. A goal the floor misses is below what a fresh Node process can do on this machine. Load average (1, 5, 15 min) before: ${loadBefore}; after: ${readLoadAverage()}.

${table([...header, 'peak RSS', 'goal', 'met'], lines)}`;
} finally {
  await lab.daemon.stop();
  rmSync(root, { recursive: true, force: true });
}

writeResults('cli-start', 'CLI start: help, version, export, snapshot', runs, body);
