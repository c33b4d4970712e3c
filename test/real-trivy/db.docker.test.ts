// Where the real Trivy's DBs come from, and what DockPeek does when they cannot be had: the DB
// pulled from a mirror as an OCI artifact (the air-gapped path), a DB seeded in the cache and
// used when the mirror is down, a cached DB Trivy would refuse (audit point 5), a broken artifact,
// and the Java DB downloaded once per run, by DockPeek, not by every scan (audit point 4).
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';
import { CASES } from './cases.ts';
import { DB_LAYER, pushArtifact, seedCache } from './db.ts';
import { expectedFindings } from './expected.ts';
import { startRealLab, type RealLab } from './lab.ts';
import { startCountingProxy } from './processes.ts';
import { readStored } from './stored.ts';
import { realTools } from './tools.ts';

const tools = realTools();

/** A snapshot of the lab, then `scan` with the given arguments. */
async function scan(env: Record<string, string>, args: string[] = []) {
  const snapshot = await runCli(['snapshot'], env);
  if (snapshot.exitCode !== 0) throw new Error(snapshot.stderr);
  return runCli(['scan', ...args], env);
}
const byName = (name: string) => CASES.find((c) => c.name === name)!;
const JAR = byName('consumesafe');

describe.skipIf(!tools)('the real Trivy: the vulnerability DB', () => {
  let lab: RealLab;
  beforeAll(async () => {
    lab = await startRealLab(tools!, [byName('nuxt-app'), byName('nginx-old')]);
  });
  afterAll(() => lab?.stop());

  const setup = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-db-'));
    const env = lab.env(root);
    const dataDir = env.DOCKPEEK_DATA_DIR!;
    return { root, env, dataDir, serverCache: path.join(dataDir, 'trivy-server-cache') };
  };
  const expectExact = (dataDir: string) => {
    const stored = readStored(dataDir);
    for (const carried of lab.carried)
      expect(stored.get(carried.image.name)?.findings, carried.image.name).toEqual(
        expectedFindings(carried),
      );
  };
  const failures = (dataDir: string) =>
    [...readStored(dataDir).values()].map((s) => ({ status: s.status, code: s.error?.code }));

  it('pulls the DB from the mirror once, and not again while it is fresh', async () => {
    const t = setup();
    const mirror = await startCountingProxy(lab.registry.host);
    const env = { ...t.env, TRIVY_DB_REPOSITORY: `${mirror.host}/aquasec/trivy-db:2` };
    try {
      const first = await scan(env);
      expect(first.exitCode, first.stderr).toBe(0);
      expectExact(t.dataDir);
      const meta = JSON.parse(
        readFileSync(path.join(t.serverCache, 'db', 'metadata.json'), 'utf8'),
      ) as { Version: number; DownloadedAt: string };
      expect(meta.Version).toBe(2);
      expect(Date.parse(meta.DownloadedAt)).toBeGreaterThan(Date.now() - 600_000);
      const blobs = () => mirror.requests.filter((r) => /^GET .*\/blobs\/sha256:/.test(r));
      // The manifest, then the one layer (Trivy never reads the artifact's config).
      expect(blobs()).toHaveLength(1);
      const again = await scan(env, ['--force']);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(blobs()).toHaveLength(1);
    } finally {
      await mirror.close();
    }
  });

  it('scans with a DB seeded in its cache when the mirror cannot be reached, and says so', async () => {
    const t = setup();
    seedCache(t.serverCache, lab.dbDir);
    const env = {
      ...t.env,
      TRIVY_DB_REPOSITORY: `127.0.0.1:${await findClosedPort()}/aquasec/trivy-db:2`,
    };
    const run = await scan(env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /warning: vulnerability DB download failed \(run error: init error: DB error: failed to download vulnerability DB.*\); scanning with the cached DB/,
    );
    expectExact(t.dataDir);
  });

  it.each([
    [
      'a trivy.db without metadata.json',
      (dir: string) => rmSync(path.join(dir, 'db', 'metadata.json')),
      /has no readable metadata\.json, so it cannot be used/,
    ],
    [
      'a DB of schema 1',
      (dir: string) =>
        writeFileSync(
          path.join(dir, 'db', 'metadata.json'),
          JSON.stringify({ Version: 1, NextUpdate: '2099-01-01T00:00:00Z' }),
        ),
      /is of schema 1, not 2, so it cannot be used/,
    ],
  ])(
    'with %s and no mirror: every image fails db_unavailable, none is scanned with it',
    async (_, spoil, says) => {
      const t = setup();
      seedCache(t.serverCache, lab.dbDir);
      spoil(t.serverCache);
      const env = {
        ...t.env,
        TRIVY_DB_REPOSITORY: `127.0.0.1:${await findClosedPort()}/aquasec/trivy-db:2`,
      };
      const run = await scan(env);
      expect(run.exitCode).toBe(2);
      expect(failures(t.dataDir)).toEqual(
        lab.carried.map(() => ({ status: 'failed', code: 'db_unavailable' })),
      );
      const [record] = readStored(t.dataDir).values();
      expect(record!.error!.message).toMatch(says);
      expect(record!.error!.message).toContain('failed to download vulnerability DB');
    },
  );

  it.each([
    [
      'a layer that is not gzip',
      { mediaType: DB_LAYER, data: Buffer.from('not a tar.gz') },
      /gzip: invalid header/,
    ],
    [
      'a layer of another media type',
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', data: Buffer.from('x') },
      /unacceptable media type/,
    ],
  ])(
    "a broken artifact on the mirror (%s): db_unavailable with Trivy's reason",
    async (name, layer, says) => {
      const t = setup();
      const repo = `broken/${name.replaceAll(' ', '-')}`;
      await pushArtifact(lab.registry.host, `${repo}:2`, { ...layer, title: 'db.tar.gz' });
      const run = await scan({
        ...t.env,
        TRIVY_DB_REPOSITORY: `${lab.registry.host}/${repo}:2`,
      });
      expect(run.exitCode).toBe(2);
      expect(failures(t.dataDir)).toEqual(
        lab.carried.map(() => ({ status: 'failed', code: 'db_unavailable' })),
      );
      const [record] = readStored(t.dataDir).values();
      expect(record!.error!.message).toMatch(says);
    },
  );
});

describe.skipIf(!tools)('the real Trivy: the Java DB', () => {
  // Three images with jars: three scans at once that each need the Java DB.
  const copies = [1, 2, 3].map((n) => ({
    ...JAR,
    name: `jar-app-${n}`,
    ref: `dpk-real/jar-app:${n}`,
  }));
  let lab: RealLab;
  beforeAll(async () => {
    lab = await startRealLab(tools!, [...copies, byName('nuxt-app')]);
  });
  afterAll(() => lab?.stop());

  it('is downloaded once per run by DockPeek, not by each scan, and refreshed only when stale', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-java-'));
    // A slow mirror: every scan that downloads it itself would be downloading at once.
    const mirror = await startCountingProxy(lab.registry.host, { blobDelayMs: 3000 });
    const env: Record<string, string> = {
      ...lab.env(root),
      TRIVY_JAVA_DB_REPOSITORY: `${mirror.host}/aquasec/trivy-java-db:1`,
      TRIVY_SCAN_STRATEGY: 'memory',
    };
    const layerGets = () =>
      mirror.requests.filter((r) => /^GET .*trivy-java-db\/blobs\/sha256:/.test(r));
    try {
      const run = await scan(env);
      expect(run.exitCode, run.stderr).toBe(0);
      const stored = readStored(env.DOCKPEEK_DATA_DIR!);
      for (const carried of lab.carried)
        expect(stored.get(carried.image.name)?.findings, carried.image.name).toEqual(
          expectedFindings(carried),
        );
      // One download of its one layer, for three scans that needed it.
      expect(layerGets()).toHaveLength(1);
      const again = await scan(env, ['--force']);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(layerGets()).toHaveLength(1);
    } finally {
      await mirror.close();
    }
  });

  it('fails the images with jars, and only those, when the Java DB cannot be had', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-java-'));
    const env: Record<string, string> = {
      ...lab.env(root),
      TRIVY_JAVA_DB_REPOSITORY: `127.0.0.1:${await findClosedPort()}/aquasec/trivy-java-db:1`,
    };
    const run = await scan(env);
    expect(run.exitCode).toBe(2);
    const stored = readStored(env.DOCKPEEK_DATA_DIR!);
    expect(stored.get('nuxt-app')?.status).toBe('scanned');
    for (const copy of copies) {
      expect(stored.get(copy.name)).toMatchObject({
        status: 'failed',
        error: {
          code: 'db_unavailable',
          message: expect.stringMatching(
            /^the Java DB, which Trivy needs for this image's jar files, could not be downloaded: .*failed to download Java DB/,
          ),
        },
      });
    }
  });
});
