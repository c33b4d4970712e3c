import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveSnapshot } from '../../pipeline/store/archive.ts';
import {
  archiveTime,
  parseRetention,
  pruneArchives,
  selectPrunable,
} from '../../pipeline/store/retention.ts';
import { emptyDb } from '../../pipeline/store/schema.ts';

const HOUR = 3_600_000;
const now = Date.parse('2026-11-25T12:00:00.000Z');
const file = (hoursAgo: number) =>
  `/a/snapshot-${new Date(now - hoursAgo * HOUR).toISOString().replace(/[:.]/g, '-')}.json`;

describe('retention', () => {
  it.each([
    [undefined, { kind: 'tiered', allMs: 48 * HOUR, dailyMs: 90 * 24 * HOUR }],
    ['500', { kind: 'count', keep: 500 }],
    ['24h,30d', { kind: 'tiered', allMs: 24 * HOUR, dailyMs: 30 * 24 * HOUR }],
  ])('parses %j', (value, policy) => {
    expect(parseRetention(value)).toEqual(policy);
  });

  it.each(['0', 'forever', '1h,2h,3h', '48h,'])('rejects %j', (value) => {
    expect(() => parseRetention(value)).toThrow(/DOCKPEEK_RETENTION/);
  });

  it('reads the time back from the file name', () => {
    expect(archiveTime(file(3))).toBe(now - 3 * HOUR);
  });

  it('keeps every snapshot of the last 48 h, then the newest of each day, then none', () => {
    // 47 h to 60 h ago all fall on 2026-11-23: the 47 h one (kept as recent) stands for that day.
    const files = [0.5, 1, 30, 47, 49, 50, 60, 24 * 10 + 1, 24 * 10 + 2, 24 * 100].map(file);
    const dropped = selectPrunable(files, parseRetention('48h,90d'), now);
    expect(dropped.map((f) => (now - archiveTime(f)) / HOUR).sort((a, b) => a - b)).toEqual([
      49,
      50,
      60,
      24 * 10 + 2,
      24 * 100,
    ]);
  });

  it('keeps the newest N, and never the newest whatever the policy', () => {
    const files = [1, 2, 3, 4].map(file);
    expect(selectPrunable(files, { kind: 'count', keep: 2 }, now)).toEqual([file(3), file(4)]);
    expect(selectPrunable([file(24 * 400)], parseRetention('1h,1d'), now)).toEqual([]);
  });

  it('prunes archive files and the findings files only they used', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-ret-'));
    mkdirSync(path.join(dir, 'reports'));
    // Both formats: NDJSON since 1.2, JSON arrays in older stores. Work in progress and files
    // this tool did not name (a user's notes) are never removed.
    const name = (tag: string, ext: string) => `${tag.repeat(32)}.${ext}`;
    const [old, kept, current, orphanJson, orphanNd] = [
      name('a', 'json'),
      name('b', 'json'),
      name('c', 'ndjson'),
      name('d', 'json'),
      name('e', 'ndjson'),
    ];
    for (const file of [old, kept, current, orphanJson, orphanNd, 'notes.json'])
      writeFileSync(path.join(dir, 'reports', file), '[]');
    mkdirSync(path.join(dir, 'reports', '.incoming'));
    writeFileSync(path.join(dir, 'reports', '.incoming', 'x.ndjson'), '');
    const record = (report: string) => ({
      status: 'scanned' as const,
      imageId: 'i',
      ref: 'r',
      host: 'h',
      updatedAt: 'x',
      report,
    });
    const snap = (takenAt: string) => ({ takenAt, hosts: [], containers: [] });
    await archiveSnapshot(dir, snap('2026-11-20T00:00:00.000Z'), { a: record(old) });
    await archiveSnapshot(dir, snap('2026-11-25T11:00:00.000Z'), { a: record(kept) });
    const db = { ...emptyDb(), scans: { a: record(current) } };
    const result = await pruneArchives(dir, db, { kind: 'count', keep: 1 }, now);
    expect(result).toEqual({ archives: 1, reports: 3 });
    expect(readdirSync(path.join(dir, 'reports')).sort()).toEqual(
      ['.incoming', current, kept, 'notes.json'].sort(),
    );
    expect(readdirSync(path.join(dir, 'archive'))).toEqual([
      'snapshot-2026-11-25T11-00-00-000Z.json',
    ]);
    expect(existsSync(path.join(dir, 'db.json'))).toBe(false);
  });
});
