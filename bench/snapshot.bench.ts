// Snapshot of 50 / 200 / 500 containers on a private test dockerd vs one raw
// GET /containers/json?all=1 on the same daemon (the least any tool must do), and the Docker API
// requests per container. Medians of BENCH_RUNS (default 5). Needs root and docker.io.
//   npm run bench:snapshot    (BENCH_SIZES="50 200 500")
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { readHostConfigs } from '../pipeline/docker/hosts.ts';
import { takeSnapshot } from '../pipeline/snapshot/take-snapshot.ts';
import { startRecordingProxy } from '../test/helpers/recording-proxy.ts';
import { startLab } from './lib/lab.ts';
import { rawList } from './lib/raw-list.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';

const SIZES = (process.env.BENCH_SIZES ?? '50 200 500').split(/\s+/).map(Number);
const OPTIONS = { connectTimeoutMs: 5000, readTimeoutMs: 30_000, inspect: false };

const runs = benchRuns();
console.error('snapshot: starting a private dockerd…');
const lab = await startLab(10);
const rows: string[][] = [];
try {
  const socket = lab.daemon.socket;
  const hosts = readHostConfigs({ DOCKER_HOST: `unix://${socket}`, DOCKER_HOST_NAME: 'bench' });
  for (const size of SIZES) {
    console.error(`snapshot: creating containers up to ${size}…`);
    await lab.growTo(size);
    const listed = await rawList(socket);
    if (listed !== size) throw new Error(`the daemon lists ${listed} containers, expected ${size}`);
    // Warm both paths once, then alternate them so drift hits both alike.
    await rawList(socket);
    await takeSnapshot(hosts, OPTIONS);
    const samples = await repeat(runs, async () => {
      const raw = await timed(() => rawList(socket));
      const snap = await timed(() => takeSnapshot(hosts, OPTIONS));
      if (snap.value.containers.length !== size) throw new Error('snapshot missed containers');
      return { raw: raw.ms, snap: snap.ms };
    });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-snap-'));
    const cli = await repeat(runs, async () => {
      const run = await timed(() =>
        execa(process.execPath, ['bin/dockpeek-security.mjs', 'snapshot', '--quiet'], {
          env: {
            DOCKER_HOST: `unix://${socket}`,
            DOCKER_HOST_NAME: 'bench',
            DOCKPEEK_DATA_DIR: dataDir,
          },
          reject: false,
        }),
      );
      if (run.value.exitCode !== 0) throw new Error(run.value.stderr);
      return run.ms;
    });
    rmSync(dataDir, { recursive: true, force: true });
    // Requests: the same snapshot through a proxy that records every request line.
    const proxy = await startRecordingProxy(path.join(lab.daemon.dir, 'proxy.sock'), socket);
    await takeSnapshot(
      readHostConfigs({ DOCKER_HOST: `unix://${proxy.socket}`, DOCKER_HOST_NAME: 'bench' }),
      OPTIONS,
    );
    await proxy.close();
    const raw = median(samples.map((s) => s.raw));
    const snap = median(samples.map((s) => s.snap));
    rows.push([
      String(size),
      fmt.ms(raw),
      fmt.ms(snap),
      fmt.ratio(median(samples.map((s) => s.snap / s.raw))),
      fmt.ms(median(cli)),
      `${proxy.requests.length} (${proxy.requests.map((r) => r.url.split('?')[0]).join(', ')})`,
      (proxy.requests.length / size).toFixed(3),
    ]);
  }
} finally {
  await lab.daemon.stop();
}

writeResults(
  'snapshot',
  'Snapshot vs one raw list call',
  runs,
  `A private dockerd (vfs, no network) with created containers of 10 images, labelled like a homelab: compose projects, an anchor and three dependents per ten, traefik labels and env secrets. "Raw list" is one GET /containers/json?all=1 read and JSON-parsed over the same socket; "snapshot" is the product's in-process read of the host (ping, list, images, validation, label and orchestration resolution); "CLI snapshot" adds Node start, the db.json write and the archive.

${table(
  [
    'containers',
    'raw list',
    'snapshot',
    'snapshot / raw list',
    'CLI snapshot (wall)',
    'API requests',
    'requests per container',
  ],
  rows,
)}`,
);
