import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { writeFleet, type FleetImage } from '../helpers/fleet.ts';
import { STANDIN, isScan, isServer, readInvocations } from '../helpers/standin.ts';

// TRIVY_SCAN_STRATEGY through the real CLI, and what the private server is for: the same
// findings as memory mode, and a daily rescan of unchanged images that analyses no layer.

const layered = (ref: string, report: string, layers: string[]): FleetImage => ({
  ref,
  behaviour: { report, ms: 10, layers },
  on: { server: 1 },
});
// Two images on one base layer, as real images share their distribution's.
const FLEET = [
  layered('nginx:1.27.3', 'debian-buster', ['debian-12', 'nginx']),
  layered('nextcloud:30.0.4', 'npm', ['debian-12', 'php', 'nextcloud']),
  layered('redis:7.4.1', 'centos-7', ['alpine-3.20', 'redis']),
];
const LAYERS = FLEET.flatMap((i) => (i.behaviour as { layers: string[] }).layers);

function setup(fleet = FLEET) {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  const env: Record<string, string> = {
    DOCKPEEK_DATA_DIR: dataDir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    DPK_STANDIN_CONFIG: writeFleet(dataDir, { layerCpuMs: 5 }, fleet),
    HOME: dataDir,
  };
  const dbFile = path.join(dataDir, 'db.json');
  const db = () => DbSchema.parse(JSON.parse(readFileSync(dbFile, 'utf8')));
  /** Every image's summary and findings file, by reference. */
  const results = () =>
    Object.fromEntries(
      Object.values(db().scans).map((s) => [s.ref, { summary: s.summary, report: s.report }]),
    );
  /** Layers each trivy of the run analysed, by reference, from the stand-in's log. */
  const analysed = (from = 0) =>
    Object.fromEntries(
      readInvocations(log)
        .slice(from)
        .filter(isScan)
        .map((c) => [c.argv.at(-1), c.layers?.analysed]),
    );
  return { dataDir, log, env, db, dbFile, results, analysed };
}

describe('TRIVY_SCAN_STRATEGY', () => {
  it.each([
    ['unset', 'private server', {}],
    ['empty', 'private server', { TRIVY_SCAN_STRATEGY: '' }],
    ['auto', 'private server', { TRIVY_SCAN_STRATEGY: 'auto' }],
    ['server', 'private server', { TRIVY_SCAN_STRATEGY: 'server' }],
    ['memory', 'memory', { TRIVY_SCAN_STRATEGY: 'memory' }],
  ] as const)('%s → %s', async (_, label, env) => {
    const t = setup(FLEET.slice(0, 1));
    const run = await runCli(['scan'], { ...t.env, ...env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`(trivy 0.68.2, ${label} cache, 1 workers): 1 ok`);
    const calls = readInvocations(t.log);
    const [scan] = calls.filter(isScan);
    if (label === 'memory') {
      expect(calls.some(isServer)).toBe(false);
      expect(scan!.argv).toEqual(expect.arrayContaining(['--cache-backend', 'memory']));
    } else {
      expect(calls.some(isServer)).toBe(true);
      expect(scan!.argv).toContain('--server');
    }
  });

  it('memory with TRIVY_SERVER set: scans locally and says TRIVY_SERVER is not used', async () => {
    const t = setup(FLEET.slice(0, 1));
    const run = await runCli(['scan'], {
      ...t.env,
      TRIVY_SCAN_STRATEGY: 'memory',
      TRIVY_SERVER: 'http://127.0.0.1:4954',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'warning: TRIVY_SCAN_STRATEGY=memory: TRIVY_SERVER is not used, each trivy scans locally',
    );
    const [scan] = readInvocations(t.log).filter(isScan);
    expect(scan!.argv).not.toContain('--server');
    expect(scan!.argv).toEqual(expect.arrayContaining(['--cache-backend', 'memory']));
  });

  it.each(['Server', 'fast', 'memory,server'])(
    'refuses %j: exit 1, naming the variable, before anything runs',
    async (value) => {
      const t = setup(FLEET.slice(0, 1));
      const before = readFileSync(t.dbFile, 'utf8');
      const run = await runCli(['scan'], { ...t.env, TRIVY_SCAN_STRATEGY: value });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `error: TRIVY_SCAN_STRATEGY=${JSON.stringify(value)} is not one of auto, server, memory`,
      );
      expect(existsSync(t.log)).toBe(false);
      expect(readFileSync(t.dbFile, 'utf8')).toBe(before);
    },
  );
});

describe('the private server against memory mode', () => {
  it('finds the same, and a daily rescan (a new DB, result TTL expired) analyses no layer', async () => {
    const memory = setup();
    expect(
      (await runCli(['scan'], { ...memory.env, TRIVY_SCAN_STRATEGY: 'memory' })).exitCode,
    ).toBe(0);
    const server = setup();
    const first = await runCli(['scan'], server.env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('(trivy 0.68.2, private server cache');

    expect(server.results()).toEqual(memory.results());
    expect(Object.keys(server.results())).toHaveLength(FLEET.length);
    // Memory mode analyses every layer of every image; the server each layer at most once
    // per image (two clients may both miss the shared base while neither has sent it yet).
    for (const image of FLEET)
      expect(memory.analysed()[image.ref]).toEqual(
        (image.behaviour as { layers: string[] }).layers,
      );
    expect(Object.values(server.analysed()).flat().sort()).toEqual(
      expect.arrayContaining([...new Set(LAYERS)].sort()),
    );

    // A day later: every result past TRIVY_RESULT_TTL, the images unchanged.
    const db = JSON.parse(readFileSync(server.dbFile, 'utf8'));
    for (const record of Object.values<{ scannedAt: string; updatedAt: string }>(db.scans)) {
      record.scannedAt = new Date(Date.parse(record.scannedAt) - 25 * 3600e3).toISOString();
      record.updatedAt = record.scannedAt;
    }
    writeFileSync(server.dbFile, JSON.stringify(db));
    const before = readInvocations(server.log).length;
    const rescan = await runCli(['scan'], server.env);
    expect(rescan.exitCode, rescan.stderr).toBe(0);
    expect(rescan.stderr).toContain(`scan: ${FLEET.length} scanned this run`);
    const calls = readInvocations(server.log).slice(before);
    // A new DB downloaded, then every image scanned without analysing anything.
    expect(calls.filter((c) => c.argv.includes('--download-db-only'))).toHaveLength(1);
    expect(server.analysed(before)).toEqual(
      Object.fromEntries(FLEET.map((image) => [image.ref, []])),
    );
    expect(calls.filter((c) => isServer(c) && c.scanned)).toHaveLength(FLEET.length);
    expect(server.results()).toEqual(memory.results());
  });
});
