import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DbSchema, type Db } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli, type CliResult } from '../helpers/cli.ts';
import { FLEET, imageIdOf } from '../helpers/fleet.ts';
import { writeFleet } from '../helpers/fleet.ts';
import {
  STANDIN,
  isScan,
  isServer,
  maxOverlap,
  processesWith,
  readInvocations,
  reportCounts,
} from '../helpers/standin.ts';

const HANG_MARKER = String(80000 + Math.floor(Math.random() * 9999));

describe('scanning a 45-container, 2-host fleet with the trivy stand-in', () => {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  const env = {
    DOCKPEEK_DATA_DIR: dataDir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    TRIVY_SCAN_TIMEOUT: '3s',
    DOCKER_HOST_NAME: 'server',
    DOCKER_HOST: 'unix:///run/server.sock',
    DOCKER_HOST_1_NAME: 'nas',
    DOCKER_HOST_1_URL: 'tcp://10.0.0.9:2375',
    HOME: dataDir,
  };
  let first: CliResult;
  let exported: {
    containers: Array<{
      host: string;
      name: string;
      image: string;
      security: Record<string, unknown>;
    }>;
  };
  const readDb = (): Db =>
    DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));

  beforeAll(async () => {
    Object.assign(env, { DPK_STANDIN_CONFIG: writeFleet(dataDir, { hangMarker: HANG_MARKER }) });
    first = await runCli(['scan'], env);
    exported = JSON.parse((await runCli(['export'], env)).stdout);
  }, 120_000);

  it('exits 2 because scans failed, and says so', () => {
    expect(first.exitCode, first.stderr).toBe(2);
    expect(first.stderr).toContain(
      'scan: 24 scanned this run (trivy 0.68.2, private server cache, 3 workers): 17 ok, 7 failed; 0 reused from cache, 1 skipped',
    );
  });

  it('exports all 45 containers', () => {
    expect(exported.containers).toHaveLength(45);
  });

  it('scans every other image, with counts equal to the reports’ own', () => {
    for (const image of FLEET) {
      if (!('report' in image.behaviour) || image.skip || image.ref === 'slow/scanner:1') continue;
      const expected = reportCounts(image.behaviour.report!);
      const rows = exported.containers.filter((c) => c.image === image.ref);
      expect(rows.length).toBe(Object.values(image.on).reduce((a, b) => a + b, 0));
      for (const row of rows)
        expect(row.security, image.ref).toMatchObject({
          status: 'scanned',
          ...expected,
          scannedAt: expect.any(String),
        });
    }
  });

  it.each([
    [
      'registry.example.com/team/app:1.0',
      'image_unavailable',
      'run error: image scan error: scan error: unable to initialize a scan service: unable to initialize artifact: unable to initialize container image: unable to find the specified image "registry.example.com/team/app:1.0" in ["docker" "remote"]: 2 errors occurred:\n* docker error: unable to inspect the image (registry.example.com/team/app:1.0): Error response from daemon: No such image: registry.example.com/team/app:1.0\n* remote error:',
    ],
    ['ghcr.io/example/private-tool:0.4', 'image_unavailable', 'run error: image scan error'],
    ['vendor/broken:1', 'invalid_output', 'trivy exited 0 but stdout is not JSON'],
    ['vendor/half:1', 'invalid_output', 'trivy exited 0 but stdout is not JSON'],
    [
      'slow/scanner:1',
      'scan_timeout',
      'run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: context deadline exceeded',
    ],
    [
      'stuck/image:1',
      'scan_timeout',
      'trivy gave no result within 3.0 s and ignored its --timeout; it was killed with its child processes',
    ],
  ])('caches the failure of %s as %s with its reason and a retry time', (ref, code, message) => {
    const rows = exported.containers.filter((c) => c.image === ref);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.security).toMatchObject({
        status: 'failed',
        error: { code, message: expect.stringContaining(message) },
        findings: null,
        counts: { critical: null },
      });
      const retryIn = Date.parse(row.security.retryAfter as string) - Date.now();
      expect(retryIn).toBeGreaterThan(50 * 60_000);
      expect(retryIn).toBeLessThanOrEqual(60 * 60_000);
    }
  });

  it('marks the skip-labelled image skipped and leaves nothing pending', () => {
    expect(
      exported.containers
        .filter((c) => c.image.startsWith('containrrr/'))
        .map((c) => c.security.status),
    ).toEqual(['skipped', 'skipped']);
    const statuses = Object.values(readDb().scans).map((s) => s.status);
    expect(statuses).not.toContain('pending');
    expect(exported.containers.map((c) => c.security.status)).not.toContain('pending');
    expect(exported.containers.map((c) => c.security.status)).not.toContain('not_scanned');
  });

  it('calls trivy once per distinct image, after one version check and one DB download, as clients of one private server', () => {
    const calls = readInvocations(log);
    expect(calls.filter((c) => c.argv[0] === '--version')).toHaveLength(1);
    const downloads = calls.filter((c) => c.argv.includes('--download-db-only'));
    expect(downloads).toHaveLength(1);
    // The one download goes into the server's cache, which the server then only reads.
    const serverCache = path.join(dataDir, 'trivy-server-cache');
    expect(downloads[0]!.argv).toContain(serverCache);
    const servers = calls.filter(isServer);
    expect(new Set(servers.map((c) => c.pid)).size).toBe(1);
    const listen = servers[0]!.argv[servers[0]!.argv.indexOf('--listen') + 1]!;
    expect(servers[0]!.argv).toEqual([
      'server',
      '--listen',
      expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      '--cache-dir',
      serverCache,
      '--skip-db-update',
    ]);
    const scans = calls.filter(isScan);
    expect(scans.map((c) => c.argv.at(-1)).sort()).toEqual(
      FLEET.filter((i) => !i.skip)
        .map((i) => i.ref)
        .sort(),
    );
    for (const scan of scans) {
      expect(scan.argv.slice(0, -2)).toEqual([
        'image',
        '--format',
        'json',
        '--quiet',
        '--scanners',
        'vuln',
        '--timeout',
        '3s',
        '--image-src',
        'docker,remote',
        '--server',
        `http://${listen}`,
        // Only where the Java DB is: in client mode the layer cache is the server's.
        '--cache-dir',
        serverCache,
      ]);
      expect(scan.tokenFrom).toBe('env');
    }
  });

  it('gives each trivy the DOCKER_HOST of a host that runs the image', () => {
    const scans = readInvocations(log).filter(isScan);
    const hostOf = (ref: string) => scans.find((s) => s.argv.at(-1) === ref)!.dockerHost;
    expect(hostOf('nextcloud:30.0.4')).toBe('tcp://10.0.0.9:2375');
    expect(hostOf('lscr.io/linuxserver/sonarr:4.0.11')).toBe('unix:///run/server.sock');
    // On both hosts: scanned once, from the first reachable host by name.
    expect(hostOf('nginx:1.27.3')).toBe('tcp://10.0.0.9:2375');
  });

  it('runs 3 trivy processes at once, never more', () => {
    const scans = readInvocations(log).filter(isScan);
    expect(maxOverlap(scans.map((s) => [s.start, s.end]))).toBe(3);
  });

  it('leaves no orphan: the hung trivy and its child are gone, and so is the private server', () => {
    expect(readInvocations(log).some((c) => c.hang)).toBe(true);
    expect(processesWith(`sleep ${HANG_MARKER}`)).toEqual([]);
    expect(readInvocations(log).some(isServer)).toBe(true);
    expect(processesWith(path.join(dataDir, 'trivy-server-cache'))).toEqual([]);
  });

  it('makes zero trivy calls on a second run, and still exits 2 for the cached failures', async () => {
    const before = readInvocations(log).length;
    const second = await runCli(['scan'], env);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(
      'scan: 0 scanned this run: 0 ok, 0 failed; 24 reused from cache, 1 skipped',
    );
    expect(readInvocations(log)).toHaveLength(before);
  });

  it('rescans only the image whose id changed', async () => {
    const db = readDb();
    for (const c of db.snapshot!.containers)
      if (c.image === 'redis:7.4.1') c.imageId = imageIdOf('redis:7.4.2');
    writeFileSync(path.join(dataDir, 'db.json'), JSON.stringify(db));
    const before = readInvocations(log).length;
    const run = await runCli(['scan'], env);
    expect(run.stderr).toContain('scan: 1 scanned this run');
    const scans = readInvocations(log).slice(before).filter(isScan);
    expect(scans.map((s) => s.argv.at(-1))).toEqual(['redis:7.4.1']);
    expect(Object.keys(readDb().scans)).not.toContain(imageIdOf('redis:7.4.1'));
  });

  it('retries a failure once its retry time has passed, and only that one', async () => {
    const db = readDb();
    db.scans[imageIdOf('vendor/broken:1')]!.retryAfter = new Date(Date.now() - 1000).toISOString();
    writeFileSync(path.join(dataDir, 'db.json'), JSON.stringify(db));
    const before = readInvocations(log).length;
    await runCli(['scan'], env);
    expect(
      readInvocations(log)
        .slice(before)
        .filter(isScan)
        .map((s) => s.argv.at(-1)),
    ).toEqual(['vendor/broken:1']);
  });
});
