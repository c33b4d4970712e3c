import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { STANDIN } from '../helpers/standin.ts';

// The stand-in must behave like the real CLI where DockPeek depends on it (TOOLCHAIN.md).
function trivy(args: string[], config: object, cacheDir: string) {
  const file = path.join(cacheDir, '..', `config-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(config));
  return execa(STANDIN, args, { env: { DPK_STANDIN_CONFIG: file }, reject: false });
}

describe('trivy stand-in fidelity', () => {
  const images = {
    'a:1': { report: 'debian-buster', ms: 6500 },
    'b:1': { report: 'centos-7', ms: 100 },
  };

  it('fails a second process on a shared fs cache after 5 s on v0.68+', async () => {
    const cache = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-lock-')), 'cache');
    await trivy(['image', '--download-db-only', '--cache-dir', cache], { images }, cache);
    const holder = trivy(
      ['image', '--format', 'json', '--skip-db-update', '--cache-dir', cache, 'a:1'],
      { images },
      cache,
    );
    // Wait until the first process really holds the lock, however slow the machine.
    while (!existsSync(path.join(cache, 'fanal', 'fanal.db.lock')))
      await new Promise((r) => setTimeout(r, 20));
    const second = await trivy(
      ['image', '--format', 'json', '--skip-db-update', '--cache-dir', cache, 'b:1'],
      { images },
      cache,
    );
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      /^\S+\tFATAL\tFatal error\trun error: init error: unable to initialize cache: unable to initialize fs cache: cache may be in use by another process: timeout$/,
    );
    expect((await holder).exitCode).toBe(0);
  }, 60_000);

  it('waits silently for the lock before v0.66, and takes no lock with the memory backend', async () => {
    const cache = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-lock-')), 'cache');
    const quick = {
      'a:1': { report: 'debian-buster', ms: 800 },
      'b:1': { report: 'centos-7', ms: 100 },
    };
    await trivy(['image', '--download-db-only', '--cache-dir', cache], {}, cache);
    const first = trivy(
      ['image', '--format', 'json', '--skip-db-update', '--cache-dir', cache, 'a:1'],
      { version: '0.65.0', images: quick },
      cache,
    );
    await new Promise((r) => setTimeout(r, 200));
    const waited = await trivy(
      ['image', '--format', 'json', '--skip-db-update', '--cache-dir', cache, 'b:1'],
      { version: '0.65.0', images: quick },
      cache,
    );
    expect(waited.exitCode).toBe(0);
    expect(JSON.parse(waited.stdout).ArtifactName).toBe('b:1');
    expect((await first).exitCode).toBe(0);
    const memory = await Promise.all(
      ['a:1', 'b:1'].map((ref) =>
        trivy(
          [
            'image',
            '--format',
            'json',
            '--skip-db-update',
            '--cache-backend',
            'memory',
            '--cache-dir',
            cache,
            ref,
          ],
          { images: quick },
          cache,
        ),
      ),
    );
    expect(memory.map((r) => r.exitCode)).toEqual([0, 0]);
  });

  it.each([
    [
      ['image', '--skip-db-update', '--cache-dir', 'CACHE', 'a:1'],
      'run error: init error: DB error: database error: --skip-db-update cannot be specified on the first run',
    ],
    [['image', '--bogus', 'a:1'], 'Error: unknown flag: --bogus'],
    [
      ['image', '--timeout', '1s', '--cache-dir', 'CACHE', 'a:1'],
      'run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: context deadline exceeded',
    ],
  ])('%j fails with exit 1, stderr only', async (args, message) => {
    const cache = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-si-')), 'cache');
    const run = await trivy(
      args.map((a) => (a === 'CACHE' ? cache : a)),
      { images, dbDownloadMs: 10 },
      cache,
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });

  it('reads `--` like cobra: after it a reference starting with "-" is the image, before it an option', async () => {
    const cache = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-si-')), 'cache');
    const config = { images: { '-rf': { report: 'centos-7', ms: 10 } } };
    const base = ['image', '--format', 'json', '--quiet', '--server', 'http://127.0.0.1:4954'];
    const after = await trivy([...base, '--', '-rf'], config, cache);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout).ArtifactName).toBe('-rf');
    const before = await trivy([...base, '-rf'], config, cache);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toBe('');
    expect(before.stderr).toBe(
      "Error: unknown shorthand flag: 'r' in -rf\nRun 'trivy --help' for usage.",
    );
    // A known shorthand swallows the rest as its value: "-fjson" is --format json.
    const short = await trivy(
      ['image', '-fjson', '--server', 'http://x', '--', '-rf'],
      config,
      cache,
    );
    expect(JSON.parse(short.stdout).ArtifactName).toBe('-rf');
  });

  it('prints a report whose ArtifactName is the scanned reference, exit 0 despite findings', async () => {
    const cache = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-si-')), 'cache');
    const run = await trivy(
      ['image', '--format', 'json', '--quiet', '--cache-dir', cache, 'b:1'],
      { images, dbDownloadMs: 10 },
      cache,
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      SchemaVersion: 2,
      ArtifactName: 'b:1',
      Results: [{ Vulnerabilities: expect.any(Array) }],
    });
  });
});
