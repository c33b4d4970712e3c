import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { archiveSnapshot } from '../../pipeline/store/archive.ts';
import {
  pagePath,
  planHistoryPages,
  type ReuseInputs,
  type ReusePlan,
} from '../../pipeline/site/history-reuse.ts';
import type { ArchiveEntry } from '../../pipeline/site/model/history.ts';
import { runCli } from '../helpers/cli.ts';

/** An archived snapshot whose containers run `images` (image keys) and whose scans name `reports`. */
const entry = (
  id: string,
  stamp = '1:1',
  reports: string[] = [],
  images = ['img1'],
): ArchiveEntry => ({
  id,
  takenAt: '2026-11-25T12:00:00.000Z',
  file: `${id}.json`,
  fileStamp: stamp,
  keys: images,
  reports,
});

describe('planHistoryPages', async () => {
  const release = mkdtempSync(path.join(tmpdir(), 'dpk-release-'));
  mkdirSync(path.join(release, 'history'));
  for (const id of ['a', 'b', 'c']) writeFileSync(path.join(release, pagePath(id)), id);
  const history = [entry('a'), entry('b', '1:1', ['r1']), entry('c', '1:1', [], ['img2'])];
  const images = new Set(['img1', 'img2']);
  const present = new Set(['r1']);
  const exists = async (name: string) => present.has(name);
  const plan = (list: ArchiveEntry[], linkable: Set<string>, given: ReuseInputs, has = exists) =>
    planHistoryPages(list, linkable, has, given);
  const first = await plan(history, images, { codeHash: 'v1', previousFingerprints: {} });
  const inputs: ReuseInputs = {
    codeHash: 'v1',
    previousRelease: release,
    previousFingerprints: first.fingerprints,
  };

  it('renders everything without a previous release', () => {
    expect(first.render).toEqual(['a', 'b', 'c']);
    expect(first.reuse).toEqual([]);
  });

  it('reuses every page when nothing changed', async () => {
    const again: ReusePlan = await plan(history, images, inputs);
    expect(again.reuse).toEqual(['a', 'b', 'c']);
    expect(again.fingerprints).toEqual(first.fingerprints);
  });

  it.each([
    ['a new snapshot: only it', [...history, entry('d')], images, inputs, exists, ['d']],
    [
      'the oldest pruned: only the page that lost its predecessor',
      history.slice(1),
      images,
      inputs,
      exists,
      ['b'],
    ],
    [
      'an archive file changed: it and the page after it',
      [history[0]!, entry('b', '2:2', ['r1']), history[2]!],
      images,
      inputs,
      exists,
      ['b', 'c'],
    ],
    [
      'a findings file gone: it and the page after it',
      history,
      images,
      inputs,
      async () => false,
      ['b', 'c'],
    ],
    [
      'the page of an image they show gone: those snapshots',
      history,
      new Set(['img1']),
      inputs,
      exists,
      ['c'],
    ],
    [
      'a new image page none of them shows: none',
      history,
      new Set([...images, 'img3']),
      inputs,
      exists,
      [],
    ],
    ['new code: all', history, images, { ...inputs, codeHash: 'v2' }, exists, ['a', 'b', 'c']],
    [
      'no fingerprints in the release: all',
      history,
      images,
      { ...inputs, previousFingerprints: {} },
      exists,
      ['a', 'b', 'c'],
    ],
  ] as const)('renders again after %s', async (_, list, linkable, given, has, expected) => {
    expect((await plan([...list], new Set(linkable), given, has)).render).toEqual(expected);
  });

  it('renders a page missing from the release even when its fingerprint matches', async () => {
    const partial = mkdtempSync(path.join(tmpdir(), 'dpk-release-'));
    mkdirSync(path.join(partial, 'history'));
    linkSync(path.join(release, pagePath('a')), path.join(partial, pagePath('a')));
    const result = await plan(history, images, { ...inputs, previousRelease: partial });
    expect(result.reuse).toEqual(['a']);
    expect(result.render).toEqual(['b', 'c']);
  });
});

describe('build: unchanged snapshot pages are linked from the published release', () => {
  it('renders only the new snapshot page, and the result equals a full build', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-reuse-'));
    const dataDir = path.join(root, 'data');
    const siteDir = path.join(root, 'site');
    await createDemoData(dataDir, new Date('2026-11-20T12:00:00Z'), 44, 5);
    const build = (site = siteDir) =>
      runCli(['build', '--data-dir', dataDir, '--site-dir', site], {});

    const cold = await build();
    expect(cold.exitCode, cold.stderr).toBe(0);
    expect(cold.stderr).not.toContain('unchanged');
    // A new refresh: a new current snapshot a day later, archived, with the same images.
    const dbFile = path.join(dataDir, 'db.json');
    const db = DbSchema.parse(JSON.parse(readFileSync(dbFile, 'utf8')));
    db.snapshot!.takenAt = '2026-11-21T12:00:00.000Z';
    writeFileSync(dbFile, JSON.stringify(db));
    await archiveSnapshot(dataDir, db.snapshot!, db.scans, db.updates);
    const warm = await build();
    expect(warm.exitCode, warm.stderr).toBe(0);
    // The CVEs are those of the previous build: every CVE page is the published one, with this
    // build's header (the snapshot's time changed).
    const cveCount = readdirSync(path.join(siteDir, 'cves')).length;
    const imageCount = readdirSync(path.join(siteDir, 'images')).length;
    expect(cveCount).toBeGreaterThan(50);
    expect(imageCount).toBeGreaterThan(10);
    expect(warm.stderr).toMatch(
      new RegExp(
        `^build: \\d+ pages \\(6 snapshot pages unchanged, linked; ${cveCount} CVE pages unchanged; ${imageCount} image pages unchanged\\)`,
        'm',
      ),
    );

    const pages = readdirSync(path.join(siteDir, 'history'));
    expect(pages).toHaveLength(7);
    const links = pages.map((p) => statSync(path.join(siteDir, 'history', p)).nlink);
    expect(links.filter((n) => n === 2)).toHaveLength(6);
    // Byte for byte what a full build writes: snapshot pages do not depend on the build's clock.
    const fresh = path.join(root, 'fresh');
    const full = await build(fresh);
    expect(full.exitCode).toBe(0);
    const pageCount = (run: { stderr: string }) => /^build: (\d+) pages/m.exec(run.stderr)?.[1];
    expect(pageCount(warm)).toBe(pageCount(full));
    const read = (site: string, page: string) =>
      readFileSync(path.join(site, 'history', page), 'utf8');
    for (const page of pages) expect(read(siteDir, page), page).toBe(read(fresh, page));
    // The CVE and image pages too: their shell was replaced, the rest is what rendering them gives.
    for (const folder of ['cves', 'images']) {
      const shellPages = readdirSync(path.join(fresh, folder));
      expect(readdirSync(path.join(siteDir, folder)).sort()).toEqual(shellPages.sort());
      const readPage = (site: string, page: string) =>
        readFileSync(path.join(site, folder, page), 'utf8');
      expect(readPage(siteDir, shellPages[0]!)).toContain('2026-11-21T12:00:00.000Z');
      for (const page of shellPages)
        expect(readPage(siteDir, page), page).toBe(readPage(fresh, page));
    }
    expect(existsSync(path.join(siteDir, 'shell.html'))).toBe(false);
  });
});
