import {
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
import type { HistoryEntry } from '../../src/lib/history-data.ts';
import { pagePath } from '../../pipeline/site/history-pages.ts';
import { planHistoryPages, type ReuseInputs } from '../../src/lib/history-reuse.ts';
import { runCli } from '../helpers/cli.ts';

/** An archived snapshot whose containers run `images` (image ids). */
const entry = (
  id: string,
  stamp = '1:1',
  findings: string[] = [],
  images = ['img1'],
): HistoryEntry => ({
  id,
  fileStamp: stamp,
  findings: new Map(findings.map((k) => [k, []])),
  archive: {
    containers: images.map((imageId) => ({ imageId, image: `${imageId}:1` })),
  } as HistoryEntry['archive'],
});

describe('planHistoryPages', () => {
  const release = mkdtempSync(path.join(tmpdir(), 'dpk-release-'));
  mkdirSync(path.join(release, 'history'));
  for (const id of ['a', 'b', 'c']) writeFileSync(path.join(release, pagePath(id)), id);
  const history = [entry('a'), entry('b', '1:1', ['img1']), entry('c', '1:1', [], ['img2'])];
  const images = new Set(['img1', 'img2']);
  const first = planHistoryPages(history, images, { codeHash: 'v1', previousFingerprints: {} });
  const inputs: ReuseInputs = {
    codeHash: 'v1',
    previousRelease: release,
    previousFingerprints: first.fingerprints,
  };
  const rendered = (plan: ReturnType<typeof planHistoryPages>) =>
    plan.render.map((r) => r.entry.id);

  it('renders everything without a previous release, each page with the one before it', () => {
    expect(rendered(first)).toEqual(['a', 'b', 'c']);
    expect(first.render.map((r) => r.previous?.id)).toEqual([undefined, 'a', 'b']);
    expect(first.reuse).toEqual([]);
  });

  it('reuses every page when nothing changed', () => {
    const plan = planHistoryPages(history, images, inputs);
    expect(plan.reuse).toEqual(['a', 'b', 'c']);
    expect(plan.fingerprints).toEqual(first.fingerprints);
  });

  it.each([
    ['a new snapshot: only it', [...history, entry('d')], images, inputs, ['d']],
    [
      'the oldest pruned: only the page that lost its predecessor',
      history.slice(1),
      images,
      inputs,
      ['b'],
    ],
    [
      'an archive file changed: it and the page after it',
      [history[0]!, entry('b', '2:2', ['img1']), history[2]!],
      images,
      inputs,
      ['b', 'c'],
    ],
    [
      'a findings file gone: it and the page after it',
      [history[0]!, entry('b'), history[2]!],
      images,
      inputs,
      ['b', 'c'],
    ],
    [
      'the page of an image they show gone: those snapshots',
      history,
      new Set(['img1']),
      inputs,
      ['c'],
    ],
    [
      'a new image page none of them shows: none',
      history,
      new Set([...images, 'img3']),
      inputs,
      [],
    ],
    ['new code: all', history, images, { ...inputs, codeHash: 'v2' }, ['a', 'b', 'c']],
    [
      'no fingerprints in the release: all',
      history,
      images,
      { ...inputs, previousFingerprints: {} },
      ['a', 'b', 'c'],
    ],
  ] as const)('renders again after %s', (_, list, linkable, given, expected) => {
    expect(rendered(planHistoryPages([...list], new Set(linkable), given))).toEqual(expected);
  });

  it('renders a page missing from the release even when its fingerprint matches', () => {
    const partial = mkdtempSync(path.join(tmpdir(), 'dpk-release-'));
    mkdirSync(path.join(partial, 'history'));
    linkSync(path.join(release, pagePath('a')), path.join(partial, pagePath('a')));
    const plan = planHistoryPages(history, images, { ...inputs, previousRelease: partial });
    expect(plan.reuse).toEqual(['a']);
    expect(rendered(plan)).toEqual(['b', 'c']);
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
    // A new refresh: one more archived snapshot, the same images.
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    await archiveSnapshot(
      dataDir,
      { ...db.snapshot!, takenAt: '2026-11-21T12:00:00.000Z' },
      db.scans,
    );
    const warm = await build();
    expect(warm.exitCode, warm.stderr).toBe(0);
    expect(warm.stderr).toMatch(/^build: \d+ pages \(6 snapshot pages unchanged, linked\)/m);

    const pages = readdirSync(path.join(siteDir, 'history'));
    expect(pages).toHaveLength(7);
    const links = pages.map((p) => statSync(path.join(siteDir, 'history', p)).nlink);
    expect(links.filter((n) => n === 2)).toHaveLength(6);
    // Byte for byte what a full build writes, but for the build time in the header.
    const fresh = path.join(root, 'fresh');
    const full = await build(fresh);
    expect(full.exitCode).toBe(0);
    const pageCount = (run: { stderr: string }) => /^build: (\d+) pages/m.exec(run.stderr)?.[1];
    expect(pageCount(warm)).toBe(pageCount(full));
    const read = (site: string, page: string) =>
      readFileSync(path.join(site, 'history', page), 'utf8').replace(/ · built [^<]+/, '');
    for (const page of pages) expect(read(siteDir, page), page).toBe(read(fresh, page));
  });
});
