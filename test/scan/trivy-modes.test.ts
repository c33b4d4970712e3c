import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { writeFleet, type FleetImage } from '../helpers/fleet.ts';
import { STANDIN, isScan, maxOverlap, processesWith, readInvocations } from '../helpers/standin.ts';

const SMALL: FleetImage[] = [
  { ref: 'nginx:1.27.3', behaviour: { report: 'debian-buster', ms: 1500 }, on: { server: 1 } },
  { ref: 'postgres:16.6', behaviour: { report: 'centos-7', ms: 1500 }, on: { server: 1 } },
  { ref: 'redis:7.4.1', behaviour: { report: 'sl-micro-rancher5.4', ms: 1500 }, on: { nas: 1 } },
];

function setup(fleet: FleetImage[], extra: Record<string, unknown> = {}) {
  const dataDir = makeDataDir();
  const log = path.join(dataDir, 'trivy.log');
  const env: Record<string, string> = {
    DOCKPEEK_DATA_DIR: dataDir,
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_LOG: log,
    DPK_STANDIN_CONFIG: writeFleet(dataDir, extra, fleet),
    TRIVY_SCAN_TIMEOUT: '20s',
    HOME: dataDir,
  };
  const db = () => DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
  return { dataDir, log, env, db };
}

describe('trivy versions, modes and bad output', () => {
  it('gives each worker its own cache dir, seeded with the one DB download, on Trivy < 0.68', async () => {
    const t = setup(SMALL, { version: '0.65.0' });
    const run = await runCli(['scan'], { ...t.env, TRIVY_SCAN_STRATEGY: 'memory' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('(trivy 0.65.0, per-worker cache, 3 workers): 3 ok, 0 failed');
    const calls = readInvocations(t.log);
    expect(calls.filter((c) => c.argv.includes('--download-db-only')).map((c) => c.argv)).toEqual([
      [
        'image',
        '--download-db-only',
        '--quiet',
        '--cache-dir',
        path.join(t.dataDir, 'trivy-cache', 'shared'),
        '--timeout',
        '900s',
      ],
    ]);
    const scans = calls.filter(isScan);
    const dirs = scans.map((s) => s.argv[s.argv.indexOf('--cache-dir') + 1]);
    expect(new Set(dirs).size).toBe(3);
    for (const dir of dirs) expect(dir).toMatch(/trivy-cache\/worker-\d+$/);
    expect(scans.every((s) => !s.argv.includes('--cache-backend'))).toBe(true);
    expect(maxOverlap(scans.map((s) => [s.start, s.end]))).toBe(3);
  });

  it('uses the server in client/server mode: no DB download, no local cache, the token in the env', async () => {
    const t = setup(SMALL, { serverToken: 's3cret' });
    const run = await runCli(['scan'], {
      ...t.env,
      TRIVY_SERVER: 'http://127.0.0.1:4954',
      TRIVY_TOKEN: 's3cret',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const calls = readInvocations(t.log);
    expect(calls.some((c) => c.argv.includes('--download-db-only'))).toBe(false);
    expect(calls.filter(isScan)).toHaveLength(3);
    for (const scan of calls.filter(isScan)) {
      expect(scan.argv).toEqual(expect.arrayContaining(['--server', 'http://127.0.0.1:4954']));
      expect(scan.argv.join(' ')).not.toContain('s3cret');
      expect(scan.argv).not.toContain('--token');
      expect(scan).toMatchObject({ tokenFrom: 'env', exit: 0 });
      // Only where the Java DB is: a client's layer cache is the server's.
      expect(scan.argv.slice(-4)).toEqual([
        '--cache-dir',
        path.join(t.dataDir, 'trivy-cache'),
        '--',
        scan.argv.at(-1),
      ]);
    }
    // The version check talks to no server: it does not get the token.
    expect(calls.find((c) => c.argv[0] === '--version')).toMatchObject({ tokenFrom: null });
  });

  it("fails with the server's own error when the token is wrong", async () => {
    const t = setup(SMALL.slice(0, 1), { serverToken: 'right' });
    const run = await runCli(['scan'], {
      ...t.env,
      TRIVY_SERVER: 'http://127.0.0.1:4954',
      TRIVY_TOKEN: 'wrong',
    });
    expect(run.exitCode).toBe(2);
    expect(Object.values(t.db().scans)[0]).toMatchObject({
      status: 'failed',
      error: { code: 'scan_failed', message: expect.stringContaining('invalid token') },
    });
  });

  it('fails every image with db_unavailable when the DB cannot be downloaded, and says why', async () => {
    const t = setup(SMALL, { offline: true });
    const run = await runCli(['scan'], t.env);
    expect(run.exitCode).toBe(2);
    const records = Object.values(t.db().scans);
    expect(records).toHaveLength(3);
    for (const record of records) {
      expect(record).toMatchObject({
        status: 'failed',
        error: {
          code: 'db_unavailable',
          message: expect.stringContaining('failed to download vulnerability DB'),
        },
      });
    }
    expect(readInvocations(t.log).filter(isScan)).toHaveLength(0);
  });

  it('keeps scanning with the cached DB when a later download fails', async () => {
    const t = setup(SMALL);
    expect((await runCli(['scan'], t.env)).exitCode).toBe(0);
    // The next day: the DB is due for an update, and the network is gone.
    const offline = setup(SMALL, { offline: true, dbAlwaysStale: true });
    const run = await runCli(['scan', '--force'], {
      ...t.env,
      DPK_STANDIN_CONFIG: offline.env.DPK_STANDIN_CONFIG!,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'warning: vulnerability DB download failed (run error: init error: DB error: failed to download vulnerability DB',
    );
    expect(run.stderr).toContain('scanning with the cached DB');
  });

  it.each([
    [
      { output: 'huge', count: 3000, ms: 10 },
      'output_too_large',
      'trivy printed more than 100 KB on stdout (DOCKPEEK_TRIVY_MAX_OUTPUT); it was stopped there',
    ],
    [{ output: 'wrong-shape', ms: 10 }, 'invalid_output', "trivy's JSON is not a report"],
    [{ output: 'garbage', ms: 10 }, 'invalid_output', 'trivy exited 0 but stdout is not JSON'],
  ] as const)('records %j as %s', async (behaviour, code, message) => {
    const t = setup([{ ref: 'odd/image:1', behaviour, on: { server: 1 } }]);
    const run = await runCli(['scan'], { ...t.env, DOCKPEEK_TRIVY_MAX_OUTPUT: String(100 * 1024) });
    expect(run.exitCode).toBe(2);
    expect(Object.values(t.db().scans)[0]).toMatchObject({
      status: 'failed',
      error: { code, message: expect.stringContaining(message) },
    });
  });

  it('exits 1 with what to do when trivy is not installed, leaving nothing pending', async () => {
    const t = setup(SMALL);
    const run = await runCli(['scan'], { ...t.env, TRIVY_BIN: '/nonexistent/trivy' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('error: cannot run trivy (/nonexistent/trivy)');
    expect(run.stderr).toContain('Install Trivy');
    expect(t.db().scans).toEqual({});
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s kills running scans with their children and restores unfinished images (exit %i)',
    async (signal, code) => {
      const marker = String(70000 + Math.floor(Math.random() * 9999));
      const t = setup(
        [{ ref: 'stuck/image:1', behaviour: { hang: true }, on: { server: 1 } }, ...SMALL],
        { hangMarker: marker },
      );
      const child = execa(process.execPath, [path.resolve('bin/dockpeek-security.mjs'), 'scan'], {
        env: { PATH: process.env.PATH!, ...t.env },
        extendEnv: false,
        reject: false,
      });
      for (let i = 0; i < 200 && !readInvocations(t.log).some((c) => c.hang); i++)
        await new Promise((r) => setTimeout(r, 50));
      child.kill(signal);
      const result = await child;
      expect(result.exitCode).toBe(code);
      expect(result.stderr).toContain(
        `scan: interrupted (${signal}): running trivy processes killed`,
      );
      expect(processesWith(`sleep ${marker}`)).toEqual([]);
      const incoming = path.join(t.dataDir, 'reports', '.incoming');
      expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
      expect(Object.values(t.db().scans).map((s) => s.status)).not.toContain('pending');
      // It was on disk as pending when the signal came; the interrupted run put it back to "no record".
      expect(Object.values(t.db().scans).map((s) => s.ref)).not.toContain('stuck/image:1');
    },
  );
});
