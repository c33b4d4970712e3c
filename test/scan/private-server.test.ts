import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, readTree, runCli } from '../helpers/cli.ts';
import { writeFleet, type FleetImage } from '../helpers/fleet.ts';
import {
  STANDIN,
  isRunning,
  isScan,
  isServer,
  processesWith,
  readInvocations,
  reportCounts,
} from '../helpers/standin.ts';

// The private trivy server of a scan, through the real CLI: its token, its end on SIGTERM, the
// sweep after a SIGKILL, a restart, and the fall back to memory mode.

const layered = (ref: string, report: string, own: string): FleetImage => ({
  ref,
  behaviour: { report, ms: 10, layers: ['debian-12', own] },
  on: { server: 1 },
});
const FLEET = [
  layered('nginx:1.27.3', 'debian-buster', 'nginx'),
  layered('redis:7.4.1', 'centos-7', 'redis'),
  layered('postgres:16.6', 'alpine-310', 'postgres'),
  layered('grafana/grafana:11.4.0', 'npm', 'grafana'),
];

function setup(fleet: FleetImage[], extra: Record<string, unknown> = {}) {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  const env: Record<string, string> = {
    DOCKPEEK_DATA_DIR: dataDir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    DPK_STANDIN_CONFIG: writeFleet(dataDir, { layerCpuMs: 5, ...extra }, fleet),
    TRIVY_SCAN_TIMEOUT: '100s',
    HOME: dataDir,
  };
  const serverCache = path.join(dataDir, 'trivy-server-cache');
  const db = () => DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
  return { dataDir, log, env, serverCache, db };
}

/** The CLI's `scan` as a child process we can signal. */
function startScan(env: Record<string, string>) {
  return execa(process.execPath, [path.resolve('bin/dockpeek-security.mjs'), 'scan'], {
    env: { PATH: process.env.PATH!, NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25));
}

/** The `trivy server` processes of a cache dir (its clients name the dir too, for the Java DB). */
const serverPids = (cacheDir: string) =>
  processesWith(`server --listen`).filter((pid) => processesWith(cacheDir).includes(pid));

const proc = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

const hungImage = (marker: string) => ({
  fleet: [{ ref: 'stuck/image:1', behaviour: { hang: true as const }, on: { server: 1 as const } }],
  extra: { hangMarker: marker },
});
const marker = () => String(60000 + Math.floor(Math.random() * 9999));

describe('the private trivy server of a scan', () => {
  it('gives the token to the server and its clients only in their environment, and leaves nothing running after SIGTERM', async () => {
    const sleepMarker = marker();
    const hung = hungImage(sleepMarker);
    const t = setup(hung.fleet, hung.extra);
    const child = startScan(t.env);
    // The hung trivy is a client of the server: both run now.
    await until(() => readInvocations(t.log).some((c) => c.hang));
    const [server] = serverPids(t.serverCache);
    const client = readInvocations(t.log).find((c) => c.hang)!.pid;
    const token = proc(server!, 'environ')
      .find((v) => v.startsWith('TRIVY_TOKEN='))
      ?.slice('TRIVY_TOKEN='.length);
    const [serverArgs, clientArgs] = [proc(server!, 'cmdline'), proc(client, 'cmdline')];
    const clientEnv = proc(client, 'environ');
    child.kill('SIGTERM');
    const result = await child;

    expect(token).toMatch(/^[\w-]{32}$/);
    expect(clientEnv).toContain(`TRIVY_TOKEN=${token}`);
    expect(serverArgs).toContain('server');
    expect(clientArgs).toContain('--server');
    for (const args of [serverArgs, clientArgs]) {
      expect(args.join(' ')).not.toContain(token);
      expect(args).not.toContain('--token');
    }
    expect(result.exitCode).toBe(143);
    expect(result.stderr).toContain('scan: interrupted (SIGTERM)');
    expect(serverPids(t.serverCache)).toEqual([]);
    expect(processesWith(`sleep ${sleepMarker}`)).toEqual([]);
    expect(`${result.stdout}${result.stderr}`).not.toContain(token);
    for (const { file, text } of readTree(t.dataDir)) expect(text, file).not.toContain(token);
  });

  it('after a SIGKILL of the CLI, the next scan kills the server left running', async () => {
    const sleepMarker = marker();
    const hung = hungImage(sleepMarker);
    const t = setup(hung.fleet, hung.extra);
    const child = startScan(t.env);
    await until(() => readInvocations(t.log).some((c) => c.hang));
    child.kill('SIGKILL');
    await child;
    // Nothing stopped it: the server of the killed run still runs.
    const left = serverPids(t.serverCache);
    expect(left).toHaveLength(1);
    expect(isRunning(left[0]!)).toBe(true);

    const healthy = setup([layered('stuck/image:1', 'centos-7', 'stuck')]);
    const next = await runCli(['scan'], {
      ...t.env,
      DPK_STANDIN_CONFIG: healthy.env.DPK_STANDIN_CONFIG!,
    });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      new RegExp(
        `killed 2 trivy process group\\(s\\) left running by a scan that was killed \\(pid [\\d, ]*\\b${left[0]}\\b`,
      ),
    );
    expect(isRunning(left[0]!)).toBe(false);
    expect(serverPids(t.serverCache)).toEqual([]);
    expect(processesWith(`sleep ${sleepMarker}`)).toEqual([]);
    expect(Object.values(t.db().scans)).toEqual([
      expect.objectContaining({ status: 'scanned', summary: reportCounts('centos-7') }),
    ]);
  });

  it('restarts a server that dies once, then falls back to memory mode with a warning, scanning every image', async () => {
    const t = setup(FLEET, { serverExitAfterScans: 1 });
    const run = await runCli(['scan'], { ...t.env, TRIVY_SCAN_WORKERS: '1' });
    expect(run.exitCode, run.stderr).toBe(0);
    const servers = [
      ...new Set(
        readInvocations(t.log)
          .filter(isServer)
          .map((c) => c.pid),
      ),
    ];
    expect(servers).toHaveLength(2);
    expect(run.stderr).toContain(
      `warning: the private trivy server failed (pid ${servers[0]} exited with code 2: panic: stand-in server exits on demand (serverExitAfterScans)); restarting it once`,
    );
    expect(run.stderr).toContain(
      `warning: the private trivy server failed again (pid ${servers[1]} exited with code 2: panic: stand-in server exits on demand (serverExitAfterScans)); scanning the rest with the memory cache`,
    );
    expect(run.stderr).toContain('(trivy 0.68.2, private server, then memory cache, 1 workers)');
    // Two images through a server each, the other two in memory mode on the run's DB.
    const done = readInvocations(t.log).filter((c) => isScan(c) && c.exit === 0);
    expect(done.map((c) => (c.argv.includes('--server') ? 'server' : 'memory'))).toEqual([
      'server',
      'server',
      'memory',
      'memory',
    ]);
    for (const scan of done.slice(2))
      expect(scan.argv).toEqual(
        expect.arrayContaining(['--cache-dir', t.serverCache, '--cache-backend', 'memory']),
      );
    for (const image of FLEET)
      expect(Object.values(t.db().scans).find((s) => s.ref === image.ref)).toMatchObject({
        status: 'scanned',
        summary: reportCounts((image.behaviour as { report: string }).report),
      });
    expect(serverPids(t.serverCache)).toEqual([]);
  });

  it.each([
    ['0.68.2', 'the memory cache', 'memory cache'],
    ['0.65.0', 'per-worker caches', 'per-worker cache'],
  ])(
    'trivy %s: falls back to %s, on the DB this run downloaded, when the server never answers /healthz',
    async (version, words, label) => {
      const t = setup(FLEET.slice(0, 2), { serverHang: true, version });
      const run = await runCli(['scan'], { ...t.env, DOCKPEEK_TRIVY_SERVER_START_TIMEOUT: '1s' });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(readInvocations(t.log).filter((c) => isServer(c) && c.hang)).toHaveLength(2);
      expect(run.stderr).toMatch(
        /warning: the private trivy server failed \(did not answer http:\/\/127\.0\.0\.1:\d+\/healthz within 1 s\); restarting it once/,
      );
      expect(run.stderr).toMatch(
        new RegExp(
          `warning: the private trivy server failed again \\(did not answer http://127\\.0\\.0\\.1:\\d+/healthz within 1 s\\); scanning the rest with ${words}`,
        ),
      );
      expect(run.stderr).toContain(`(trivy ${version}, ${label}, 2 workers): 2 ok, 0 failed`);
      const scans = readInvocations(t.log).filter(isScan);
      expect(scans.every((c) => !c.argv.includes('--server'))).toBe(true);
      // No second download: the fallback reads the server's DB (a copy, for per-worker caches).
      expect(
        readInvocations(t.log).filter((c) => c.argv.includes('--download-db-only')),
      ).toHaveLength(1);
      // It ignored SIGTERM: killed with SIGKILL, nothing left.
      expect(serverPids(t.serverCache)).toEqual([]);
    },
  );
});
