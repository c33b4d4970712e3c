import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { demoStore, editDb } from '../helpers/store-fixture.ts';

// `status` against real stores (the demo homelab's db.json) and real lock files: the verdict
// and its exit code are what the image's HEALTHCHECK reads.

const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

let store: string;
beforeAll(async () => {
  store = await demoStore();
});

/** A copy-free data dir: the demo store with its snapshot taken `ageMs` ago. */
function snapshotAged(ageMs: number): string {
  editDb(store, (db) => {
    db.snapshot!.takenAt = ago(ageMs);
  });
  return store;
}

function writeLock(dataDir: string, lock: object | string): void {
  const text = typeof lock === 'string' ? lock : JSON.stringify(lock);
  writeFileSync(path.join(dataDir, '.run.lock'), text);
}

const status = (dataDir: string, ...args: string[]) =>
  runCli(['status', '--data-dir', dataDir, ...args], {});

/** A process that is alive while the test runs, as a lock holder. */
let sleeper: ReturnType<typeof spawn>;
beforeAll(() => {
  sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill();
});

describe('status', () => {
  it('is healthy when the last snapshot is younger than twice --every', async () => {
    const result = await status(snapshotAged(5 * 60_000), '--every', '30m');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^healthy: last refresh 5 min ago$/);
  });

  it.each([
    ['30m', 2 * HOUR, /^unhealthy: the last refresh is 2\.0 h old \(limit 1\.0 h\)$/],
    ['6h', 13 * HOUR, /^unhealthy: the last refresh is 13\.0 h old \(limit 12\.0 h\)$/],
  ])('with --every %s, a snapshot %d ms old is unhealthy', async (every, age, line) => {
    const result = await status(snapshotAged(age), '--every', every);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(line);
  });

  it('reads --every alone or absent as its default, 30m (as refresh does)', async () => {
    const dataDir = snapshotAged(50 * 60_000);
    expect((await status(dataDir)).exitCode).toBe(0);
    expect((await status(dataDir, '--every')).exitCode).toBe(0);
    expect((await status(snapshotAged(70 * 60_000))).exitCode).toBe(1);
  });

  it('is unhealthy before the first snapshot, unless a live run holds the lock', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'dpk-status-'));
    const none = await status(empty);
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe('unhealthy: no refresh has taken a snapshot yet');
    const live = { pid: sleeper.pid, host: hostname(), command: 'refresh', startedAt: ago(60_000) };
    writeLock(empty, live);
    const first = await status(empty);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe('healthy: the first refresh is running');
  });

  it('calls a lock whose process is gone stale, with the reasons on one line each', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-status-'));
    // A pid that ran and ended: nobody holds it now.
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    writeLock(dataDir, { pid: gone.pid, host: hostname(), command: 'refresh', startedAt: ago(0) });
    const result = await status(dataDir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      'unhealthy: no refresh has taken a snapshot yet',
      `unhealthy: stale run lock: refresh (pid ${gone.pid}) is gone`,
    ]);
  });

  it('calls a lock held longer than twice --every stale, even by a live run', async () => {
    const dataDir = snapshotAged(10 * 60_000);
    writeLock(dataDir, {
      pid: sleeper.pid,
      host: hostname(),
      command: 'refresh',
      startedAt: ago(3 * HOUR),
    });
    try {
      const result = await status(dataDir, '--every', '1h');
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe(
        'unhealthy: stale run lock: refresh has held it for 3.0 h (limit 2.0 h)',
      );
      expect((await status(dataDir, '--every', '2h')).exitCode).toBe(0);
    } finally {
      rmSync(path.join(dataDir, '.run.lock'));
    }
  });

  it('says when db.json cannot be read', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-status-'));
    writeFileSync(path.join(dataDir, 'db.json'), '{ not json');
    const result = await status(dataDir);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^unhealthy: the store cannot be read: .*JSON/);
  });

  it('--json prints the verdict and its facts as one object', async () => {
    const dataDir = snapshotAged(HOUR);
    const result = await status(dataDir, '--every', '1h', '--json');
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ healthy: true, reasons: [], maxAgeMs: 2 * HOUR, lock: null });
    expect(Date.now() - Date.parse(json.lastRefreshAt as string)).toBeGreaterThanOrEqual(HOUR);
    expect(Date.parse(json.checkedAt as string)).toBeGreaterThan(
      Date.parse(json.lastRefreshAt as string),
    );
  });

  it('rejects an --every out of range, naming the flag', async () => {
    const result = await status(store, '--every', '10s');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--every');
  });
});
