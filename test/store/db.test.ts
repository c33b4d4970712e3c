import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveSnapshot } from '../../pipeline/store/archive.ts';
import { openStore } from '../../pipeline/store/db.ts';
import type { Snapshot } from '../../pipeline/snapshot/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';

const snapshot = (takenAt: string): Snapshot => ({ takenAt, hosts: [], containers: [] });

describe('the store', () => {
  it('starts empty and writes atomically, leaving no temp file', async () => {
    const dir = makeDataDir();
    const store = await openStore(dir);
    expect(store.db.data.snapshot).toBeNull();
    store.db.data.snapshot = snapshot('2026-01-01T00:00:00.000Z');
    await store.db.write();
    expect(readdirSync(dir)).toEqual(['db.json']);
    expect(JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')).snapshot.takenAt).toBe(
      '2026-01-01T00:00:00.000Z',
    );
  });

  it.each([
    ['truncated JSON', '{"schemaVersion":1,"snapsh', /not valid JSON/],
    ['wrong shape', '{"schemaVersion":1,"snapshot":{"takenAt":5}}', /does not match the schema/],
    ['binary garbage', '\u0000\u0001\u00ff', /not valid JSON/],
  ])(
    'moves a corrupt db.json (%s) aside, never overwriting it, and restores the newest archive',
    async (_, content, reason) => {
      const dir = makeDataDir();
      await archiveSnapshot(dir, snapshot('2026-01-01T00:00:00.000Z'));
      const newest = await archiveSnapshot(dir, snapshot('2026-01-02T00:00:00.000Z'));
      mkdirSync(path.join(dir, 'archive'), { recursive: true });
      writeFileSync(
        path.join(dir, 'archive', 'snapshot-2026-01-03T00-00-00-000Z.json'),
        'damaged too',
      );
      writeFileSync(path.join(dir, 'db.json'), content);

      const store = await openStore(dir);
      expect(store.recovery).toMatchObject({
        reason: expect.stringMatching(reason),
        restoredFrom: newest,
      });
      expect(readFileSync(store.recovery!.movedTo, 'utf8')).toBe(content);
      expect(store.db.data.snapshot!.takenAt).toBe('2026-01-02T00:00:00.000Z');
      expect(JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')).snapshot.takenAt).toBe(
        '2026-01-02T00:00:00.000Z',
      );
    },
  );

  it('keeps records keyed "__proto__" or "constructor", and has none it was never given', async () => {
    const dir = makeDataDir();
    const store = await openStore(dir);
    const record = (ref: string) => ({
      ref,
      host: 'lab',
      checkedAt: '2026-01-01T00:00:00.000Z',
      localDigests: [],
      status: 'unknown' as const,
      reason: 'no digest',
    });
    expect(store.db.data.updates['constructor']).toBeUndefined();
    store.db.data.updates['__proto__'] = record('__proto__');
    store.db.data.updates['constructor'] = record('constructor');
    expect(store.db.data.updates['app:1']).toBeUndefined();
    await store.db.write();
    const again = await openStore(dir);
    expect(Object.keys(again.db.data.updates).sort()).toEqual(['__proto__', 'constructor']);
    expect(again.db.data.updates['__proto__']?.ref).toBe('__proto__');
    expect(again.db.data.updates['app:1']).toBeUndefined();
    expect(again.db.data.scans['constructor']).toBeUndefined();
  });

  it('says so on the command line', async () => {
    const dir = makeDataDir();
    await archiveSnapshot(dir, snapshot('2026-01-02T00:00:00.000Z'));
    writeFileSync(path.join(dir, 'db.json'), '{"oops"');
    const run = await runCli(['export'], { DOCKPEEK_DATA_DIR: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: ${dir}/db.json was unreadable (not valid JSON`);
    expect(run.stderr).toMatch(/The damaged file was kept as .*db\.json\.corrupt-/);
    expect(run.stderr).toContain('Restored the newest archived snapshot');
    expect(JSON.parse(run.stdout).snapshotAt).toBe('2026-01-02T00:00:00.000Z');
  });
});

describe('the CLI contract', () => {
  it.each([
    [['export'], 1, 'error: there is no snapshot in'],
    [['export', '--format', 'xml'], 1, "option '--format <format>' argument 'xml' is invalid"],
    [['frobnicate'], 1, "unknown command 'frobnicate'"],
    [['snapshot', '--timeout', 'soon'], 1, 'error: --timeout="soon" is not a duration'],
    [['snapshot', '--docker-host', 'ftp://x'], 1, 'DOCKER_HOST uses the unsupported scheme "ftp:"'],
    [['snapshot', '--help'], 0, 'Read every container on every Docker host'],
    [['export', '--help'], 0, 'one row per container'],
    [['--help'], 0, 'snapshot'],
  ])('%j exits %d', async (args, code, text) => {
    const run = await runCli(args, { DOCKPEEK_DATA_DIR: makeDataDir() });
    expect(run.exitCode).toBe(code);
    expect(run.stdout + run.stderr).toContain(text);
  });

  it('exits 1 with a clear message when the data dir cannot be created', async () => {
    const file = path.join(makeDataDir(), 'a-file');
    writeFileSync(file, '');
    const run = await runCli(['export', '--data-dir', path.join(file, 'sub')], {});
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('cannot create the data directory');
  });
});
