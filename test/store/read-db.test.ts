import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotStore, readStoreData } from '../../pipeline/store/read-db.ts';
import { readStoreFleet } from '../../pipeline/vex/store-fleet.ts';
import { makeDataDir } from '../helpers/cli.ts';

const withSnapshot = JSON.stringify({
  schemaVersion: 1,
  snapshot: { takenAt: '2026-01-02T00:00:00.000Z', hosts: [], containers: [] },
});
const withoutSnapshot = JSON.stringify({ schemaVersion: 1, snapshot: null });

/** A data dir holding db.json with this content (a folder when `dir`, nothing when null). */
function dataDirWith(content: string | null | { dir: true }): string {
  const dir = makeDataDir();
  const file = path.join(dir, 'db.json');
  if (typeof content === 'string') writeFileSync(file, content);
  else if (content) mkdirSync(file);
  return dir;
}

describe('readSnapshotStore, the reader of a command that never writes', () => {
  it.each([
    ['no db.json', null, 'no_snapshot', /^cannot read .*db\.json: .*ENOENT/],
    ['db.json is a folder', { dir: true as const }, 'no_snapshot', /^cannot read .*db\.json: /],
    ['no snapshot yet', withoutSnapshot, 'no_snapshot', /^there is no snapshot in .*db\.json yet$/],
    ['truncated JSON', '{"schemaVersion":1,"snap', 'db_corrupt', /^not valid JSON/],
    ['wrong shape', '{"schemaVersion":2}', 'db_corrupt', /^does not match the schema/],
  ])('%s: throws %s, and leaves the data dir as it was', async (_, content, code, message) => {
    const dir = dataDirWith(content);
    const before = readdirSync(dir);
    await expect(readSnapshotStore(dir)).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
    expect(readdirSync(dir)).toEqual(before);
  });

  it('returns the validated store and its path', async () => {
    const dir = dataDirWith(withSnapshot);
    const store = await readSnapshotStore(dir);
    expect(store.file).toBe(path.join(dir, 'db.json'));
    expect(store.data.snapshot.takenAt).toBe('2026-01-02T00:00:00.000Z');
    expect(store.data.scans).toEqual({});
  });

  it('creates no data dir', async () => {
    const dir = path.join(makeDataDir(), 'absent');
    await expect(readSnapshotStore(dir)).rejects.toMatchObject({ code: 'no_snapshot' });
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ['no db.json', null],
    ['no snapshot', withoutSnapshot],
    ['a corrupt db.json', '{"oops"'],
  ])('gives VEX checks no fleet for %s', async (_, content) => {
    expect(await readStoreFleet(dataDirWith(content))).toBeNull();
  });
});

describe('readStoreData, the reader of export', () => {
  it('is an empty store when there is no db.json, and writes none', async () => {
    const dir = dataDirWith(null);
    const store = await readStoreData(dir);
    expect(store.data.snapshot).toBeNull();
    expect(store.recovery).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('moves a corrupt db.json aside and starts empty when there is no archive', async () => {
    const dir = dataDirWith('{"oops"');
    const store = await readStoreData(dir);
    expect(store.recovery).toMatchObject({ reason: expect.stringMatching(/^not valid JSON/) });
    expect(store.recovery?.restoredFrom).toBeUndefined();
    expect(readFileSync(store.recovery!.movedTo, 'utf8')).toBe('{"oops"');
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toMatchObject({ snapshot: null });
  });
});
