import { describe, expect, it } from 'vitest';
import { classifyFailure, fatalMessage } from '../../pipeline/scan/classify.ts';
import {
  chooseStrategy,
  scanArgs,
  sharedCacheDir,
  type WorkerStrategy,
} from '../../pipeline/scan/trivy-args.ts';

const at = '2026-11-25T10:00:00Z\tFATAL\tFatal error\t';

describe('classifyFailure', () => {
  it.each([
    [
      `${at}run error: image scan error: scan error: unable to initialize a scan service: unable to initialize artifact: unable to initialize container image: unable to find the specified image "x:1" in ["docker" "containerd" "podman" "remote"]: 4 errors occurred:\n\t* docker error: No such image: x:1\n\t* containerd error: failed to dial: context deadline exceeded\n\t* remote error: UNAUTHORIZED: authentication required`,
      'image_unavailable',
    ],
    [
      `${at}run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: context deadline exceeded`,
      'scan_timeout',
    ],
    [
      `${at}run error: init error: DB error: database error: --skip-db-update cannot be specified on the first run`,
      'db_unavailable',
    ],
    [
      `${at}run error: init error: DB error: failed to download vulnerability DB: database download error`,
      'db_unavailable',
    ],
    [
      `${at}run error: init error: unable to initialize cache: unable to initialize fs cache: cache may be in use by another process: timeout`,
      'scan_failed',
    ],
    // Trivy v0.74.0's own wording (pkg/db/db.go, pkg/cache/fs.go): the vulnerability DB's errors
    // come through the runner's "init error: DB error:", the scan cache's as a bare "DB error:".
    [
      `${at}run error: init error: DB error: database error: validate error: --skip-db-update cannot be specified with the old DB schema. Local DB: 1, Expected: 2`,
      'db_unavailable',
    ],
    [
      `${at}run error: init error: DB error: error in vulnerability DB initialize: failed to open db: invalid database`,
      'db_unavailable',
    ],
    [
      `${at}run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: failed to analyze layer (sha256:ab): post analysis error: post analysis error: Unable to initialize the Java DB: Java DB update failed: OCI artifact error: failed to download Java DB`,
      'db_unavailable',
    ],
    [
      `${at}run error: image scan error: scan error: unable to initialize a scan service: unable to initialize cache: unable to initialize fs cache: DB error: unable to create blob bucket: database not open`,
      'scan_failed',
    ],
    [
      `${at}run error: image scan error: scan error: scan failed: failed analysis: unable to get missing layers: unable to fetch missing layers: backoff: permanent error (last error: twirp error internal: DB error: json unmarshal error)`,
      'scan_failed',
    ],
    ['Error: unknown flag: --bogus\n', 'scan_failed'],
  ])('%#: %s', (stderr, code) => {
    expect(classifyFailure(stderr, 1).code).toBe(code);
  });

  it('keeps the FATAL line and its detail lines, without timestamp', () => {
    expect(
      fatalMessage(
        `2026-11-25T10:00:00Z\tINFO\tstarting\n${at}run error: boom: 2 errors occurred:\n\t* docker error: a\n\t* remote error: b\n`,
      ),
    ).toBe('run error: boom: 2 errors occurred:\n* docker error: a\n* remote error: b');
  });

  it('says so when trivy printed nothing', () => {
    expect(classifyFailure('', 137)).toEqual({
      code: 'scan_failed',
      message: 'trivy exited with code 137 and printed nothing on stderr',
    });
  });
});

describe('cache strategy', () => {
  const dirs = { cacheDir: '/c', serverCacheDir: '/s' };
  it.each([
    ['0.68.2', 'memory'],
    ['0.70.0', 'memory'],
    ['1.0.0', 'memory'],
    ['0.67.9', 'per-worker'],
    ['0.50.1', 'per-worker'],
    [undefined, 'memory'],
  ])('TRIVY_SCAN_STRATEGY=memory, trivy %s → %s', (version, kind) => {
    expect(chooseStrategy(version, { ...dirs, choice: 'memory' }).kind).toBe(kind);
  });

  it.each(['auto', 'server'] as const)(
    '%s: a private server, falling back to the memory cache or per-worker caches that read its DB',
    (choice) => {
      expect(chooseStrategy('0.68.2', { ...dirs, choice })).toEqual({
        kind: 'private-server',
        cacheDir: '/s',
        fallback: { kind: 'memory', cacheDir: '/s' },
      });
      const old = chooseStrategy('0.50.1', { ...dirs, choice });
      expect(old).toEqual({
        kind: 'private-server',
        cacheDir: '/s',
        fallback: { kind: 'per-worker', cacheRoot: '/c', dbFrom: '/s' },
      });
      expect(sharedCacheDir(old)).toBe('/s');
      expect(sharedCacheDir((old as { fallback: WorkerStrategy }).fallback)).toBe('/s');
    },
  );

  it('uses TRIVY_SERVER whatever the version unless memory is chosen, and never carries the token (it goes in the env)', () => {
    const server = 'http://trivy:4954';
    for (const choice of ['auto', 'server'] as const)
      expect(chooseStrategy('0.50.0', { ...dirs, server, choice })).toEqual({
        kind: 'server',
        server,
        // Only for the Java DB: a client's layer cache is the server's.
        cacheDir: '/c',
      });
    expect(chooseStrategy('0.68.2', { ...dirs, server, choice: 'memory' })).toEqual({
      kind: 'memory',
      cacheDir: '/c',
    });
    expect(
      scanArgs({ kind: 'server', server: 'http://trivy:4954', cacheDir: '/c' }, 'a:1', 1000, 1),
    ).toEqual([
      'image',
      '--format',
      'json',
      '--quiet',
      '--scanners',
      'vuln',
      '--timeout',
      '1s',
      '--image-src',
      'docker,remote',
      '--server',
      'http://trivy:4954',
      '--cache-dir',
      '/c',
      '--',
      'a:1',
    ]);
  });

  it('builds the invocation the spec requires', () => {
    expect(scanArgs({ kind: 'memory', cacheDir: '/c' }, 'nginx:1', 150_000, 2)).toEqual([
      'image',
      '--format',
      'json',
      '--quiet',
      '--scanners',
      'vuln',
      '--timeout',
      '150s',
      '--image-src',
      'docker,remote',
      '--cache-dir',
      '/c',
      '--skip-db-update',
      '--cache-backend',
      'memory',
      '--',
      'nginx:1',
    ]);
    expect(scanArgs({ kind: 'per-worker', cacheRoot: '/c' }, 'nginx:1', 1500, 7).slice(8)).toEqual([
      '--image-src',
      'docker,remote',
      '--cache-dir',
      '/c/worker-7',
      '--skip-db-update',
      '--',
      'nginx:1',
    ]);
  });
});
