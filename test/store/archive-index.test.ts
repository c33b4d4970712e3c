import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveSnapshot, listArchives, readArchive } from '../../pipeline/store/archive.ts';
import {
  archiveWithSummary,
  backfillSummaries,
  readArchiveSummary,
  summarizeArchive,
} from '../../pipeline/store/archive-index.ts';
import { pruneArchives } from '../../pipeline/store/retention.ts';
import { emptyDb } from '../../pipeline/store/schema.ts';
import { demoStore } from '../helpers/store-fixture.ts';

const indexOf = (file: string) => path.join(path.dirname(file), '.index', path.basename(file));

describe('archive summaries', () => {
  it('are written beside each archive, and equal a summary made from the archive', async () => {
    const dir = await demoStore(3);
    const files = await listArchives(dir);
    expect(files).toHaveLength(4);
    for (const file of files) {
      expect(existsSync(indexOf(file))).toBe(true);
      const stored = await readArchiveSummary(file);
      const made = summarizeArchive((await readArchive(file))!, stored!.stamp);
      expect(stored).toEqual(made);
      expect(stored!.keys.length).toBe(43);
    }
  });

  it('are not trusted once the archive file changes, and are made again from it', async () => {
    const dir = await demoStore(1);
    const [file] = await listArchives(dir);
    const archive = JSON.parse(readFileSync(file!, 'utf8'));
    archive.containers = archive.containers.slice(0, 5);
    writeFileSync(file!, JSON.stringify(archive));
    const summary = await readArchiveSummary(file!);
    expect(summary!.containers).toBe(5);
  });

  it('are back-filled for archives written before them, and pruned with their archive', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-index-'));
    const snap = (takenAt: string) => ({ takenAt, hosts: [], containers: [] });
    const old = await archiveSnapshot(dir, snap('2026-11-20T00:00:00.000Z'));
    const older = await archiveWithSummary(dir, snap('2026-11-21T00:00:00.000Z'));
    await archiveWithSummary(dir, snap('2026-11-22T00:00:00.000Z'));
    const kept = await archiveWithSummary(dir, snap('2026-11-25T00:00:00.000Z'));
    expect(existsSync(indexOf(old))).toBe(false);
    expect(await backfillSummaries(dir)).toBe(1);
    expect(existsSync(indexOf(old))).toBe(true);
    expect(await backfillSummaries(dir)).toBe(0);
    // Past the newest two, summaries are looked at by name only: a damaged one is left alone
    // (and read as its archive says)…
    writeFileSync(indexOf(older), '{"damaged"');
    expect(await backfillSummaries(dir)).toBe(0);
    expect((await readArchiveSummary(older))!.takenAt).toBe('2026-11-21T00:00:00.000Z');
    // …until one of the newest two is stale too (a killed run, a data dir copied without its
    // files' times): then every summary is checked, and both are made again.
    writeFileSync(indexOf(kept), '{"damaged"');
    expect(await backfillSummaries(dir)).toBe(2);
    expect(readFileSync(indexOf(older), 'utf8')).toContain('"takenAt":"2026-11-21T00:00:00.000Z"');
    expect(readFileSync(indexOf(kept), 'utf8')).toContain('"takenAt":"2026-11-25T00:00:00.000Z"');
    expect(await backfillSummaries(dir)).toBe(0);
    await pruneArchives(
      dir,
      emptyDb(),
      { kind: 'count', keep: 1 },
      Date.parse('2026-11-26T00:00:00Z'),
    );
    expect(readdirSync(path.join(dir, 'archive', '.index'))).toEqual([path.basename(kept)]);
    rmSync(dir, { recursive: true, force: true });
  });
});
