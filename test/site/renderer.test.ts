import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { snapshotWorkers } from '../../pipeline/site/render/snapshot-pages.ts';
import { releasesDir } from '../../pipeline/site/site-dir.ts';
import { runCli } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';

const COMPILED = 'compiled the pages for this version';
const renderersIn = (folder: string) =>
  existsSync(folder) ? readdirSync(folder).filter((e) => e.startsWith('.renderer-')) : [];
const freshSite = (name: string) =>
  path.join(mkdtempSync(path.join(tmpdir(), `dpk-${name}-`)), 'site');

// The pages are compiled once per code version and install (Vite and the bundler run then, in a
// process of their own); every later build, into any site dir, renders with that renderer.
describe('the compiled renderer', () => {
  it('is compiled once per install into the user cache, reused by any site dir, and replaces stale ones', async () => {
    const dataDir = await demoStore();
    const cache = mkdtempSync(path.join(tmpdir(), 'dpk-renderer-cache-'));
    const env = { XDG_CACHE_HOME: cache };
    const site = freshSite('renderer');
    // A renderer an older version left in the site's releases folder, before there was a cache.
    mkdirSync(path.join(releasesDir(site), '.renderer-0123456789abcdef', 'server'), {
      recursive: true,
    });
    writeFileSync(
      path.join(releasesDir(site), '.dockpeek-releases'),
      'made by dockpeek-security\n',
    );
    // The cache folder of an install that was deleted since, of one that is still there, and of
    // one whose project file is empty (a crash while it was written): only the first is removed.
    const renderers = path.join(cache, 'dockpeek-security', 'renderers');
    for (const [install, project] of [
      ['00000000000000aa', path.join(cache, 'gone')],
      ['00000000000000bb', path.resolve(import.meta.dirname, '../..')],
      ['00000000000000cc', ''],
    ] as const) {
      mkdirSync(path.join(renderers, install, '.renderer-0123456789abcdef'), { recursive: true });
      writeFileSync(path.join(renderers, install, 'project'), `${project}\n`);
    }

    const first = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain(COMPILED);
    expect(renderersIn(releasesDir(site))).toEqual([]);
    // The deleted install's folder is removed; the other install keeps its renderer.
    expect(readdirSync(renderers)).not.toContain('00000000000000aa');
    expect(renderersIn(path.join(renderers, '00000000000000bb'))).toHaveLength(1);
    expect(renderersIn(path.join(renderers, '00000000000000cc'))).toHaveLength(1);
    const install = readdirSync(renderers).find((e) => !e.startsWith('00000000'))!;
    const [current] = renderersIn(path.join(renderers, install));
    expect(renderersIn(path.join(renderers, install))).toEqual([current]);
    expect(current).not.toBe('.renderer-0123456789abcdef');

    // Another site dir of the same install: no compile.
    const other = freshSite('renderer-other');
    const second = await runCli(['build', '--data-dir', dataDir, '--site-dir', other], env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).not.toContain(COMPILED);
    expect(renderersIn(path.join(renderers, install))).toEqual([current]);
    expect(renderersIn(releasesDir(other))).toEqual([]);
    const home = readFileSync(path.join(other, 'index.html'), 'utf8');
    expect(home).toContain('Security overview');
    // Each CVE and image page found its own entry in the model.
    const cve = readdirSync(path.join(other, 'cves'))[0]!;
    expect(readFileSync(path.join(other, 'cves', cve), 'utf8')).toContain(cve.replace('.html', ''));
  });

  it.each([
    [
      'XDG_CACHE_HOME under a file (no folder can be made)',
      (root: string) => {
        writeFileSync(path.join(root, 'file'), '');
        return path.join(root, 'file', 'cache');
      },
    ],
    [
      'a cache folder others may write to (they could plant code the build runs)',
      (root: string) => {
        mkdirSync(path.join(root, 'cache', 'dockpeek-security'), { recursive: true });
        chmodSync(path.join(root, 'cache', 'dockpeek-security'), 0o777);
        return path.join(root, 'cache');
      },
    ],
  ])('is compiled into the site releases folder with %s', async (_, makeCache) => {
    const dataDir = await demoStore();
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-renderer-nocache-'));
    const env = { XDG_CACHE_HOME: makeCache(root) };
    const site = path.join(root, 'site');
    const first = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain(
      `${COMPILED} of dockpeek-security into ${releasesDir(site)} (once per site dir`,
    );
    const [current] = renderersIn(releasesDir(site));
    expect(current).toMatch(/^\.renderer-[0-9a-f]{16}$/);
    expect(existsSync(path.join(root, 'cache', 'dockpeek-security', 'renderers'))).toBe(false);
    const second = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).not.toContain(COMPILED);
    expect(renderersIn(releasesDir(site))).toEqual([current]);
  });

  it('is compiled once when two builds of one install start together with an empty cache', async () => {
    // Two data dirs: builds of one data dir take turns (its run lock).
    const dataDirs = [await demoStore(), await demoStore()];
    const cache = mkdtempSync(path.join(tmpdir(), 'dpk-renderer-race-'));
    const sites = [freshSite('race-a'), freshSite('race-b')];
    const runs = await Promise.all(
      sites.map((site, i) =>
        runCli(['build', '--data-dir', dataDirs[i]!, '--site-dir', site], {
          XDG_CACHE_HOME: cache,
        }),
      ),
    );
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);
    for (const site of sites)
      expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Security overview');
    const renderers = path.join(cache, 'dockpeek-security', 'renderers');
    const [install] = readdirSync(renderers);
    // One renderer; the loser's compile folder is gone.
    expect(readdirSync(path.join(renderers, install!)).sort()).toEqual([
      expect.stringMatching(/^\.renderer-[0-9a-f]{16}$/),
      'project',
    ]);
  });

  it('renders again without a heap limit when DOCKPEEK_BUILD_HEAP is too small, and says so', async () => {
    const dataDir = await demoStore();
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-heap-')), 'site');
    const run = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {
      DOCKPEEK_BUILD_HEAP: '16MiB',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('needed more than DOCKPEEK_BUILD_HEAP (16 MiB)');
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toContain('Security overview');
    expect(readdirSync(path.join(site, 'history')).length).toBeGreaterThan(0);
  });

  it('renders snapshot pages on two threads as one thread does', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-threads-'));
    await createDemoData(dataDir, new Date('2026-11-20T12:00:00Z'), 44, 40);
    const build = (env: Record<string, string>) => {
      const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-threads-')), 'site');
      return runCli(['build', '--data-dir', dataDir, '--site-dir', site], env).then((run) => ({
        run,
        site,
      }));
    };
    const two = await build({});
    expect(two.run.exitCode, two.run.stderr).toBe(0);
    const one = await build({ DOCKPEEK_BUILD_THREADS: '1' });
    expect(one.run.exitCode, one.run.stderr).toBe(0);
    expect(one.run.stderr).not.toMatch(/snapshot pages on/);
    if (availableParallelism() > 1)
      expect(two.run.stderr).toContain('41 snapshot pages on 2 threads');
    const pages = readdirSync(path.join(one.site, 'history'));
    expect(pages).toHaveLength(41);
    expect(readdirSync(path.join(two.site, 'history')).sort()).toEqual(pages.sort());
    const read = (site: string, page: string) =>
      readFileSync(path.join(site, 'history', page), 'utf8');
    for (const page of pages) expect(read(two.site, page), page).toBe(read(one.site, page));
  });

  it('refuses an out-of-range DOCKPEEK_BUILD_HEAP before any work, naming it and the range', async () => {
    const dataDir = await demoStore();
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-heap-')), 'site');
    const run = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {
      DOCKPEEK_BUILD_HEAP: '4MiB',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('DOCKPEEK_BUILD_HEAP');
    expect(run.stderr).toContain('16MiB to 64GiB');
    expect(readdirSync(path.dirname(site))).toEqual([]);
  });
});

describe('snapshot-page workers', () => {
  it.each([
    [0, 2, 2, 0],
    [15, 2, 2, 0],
    [16, 2, 2, 1],
    [365, 2, 2, 1],
    [365, 1, 8, 0],
    [365, 2, 1, 0],
    [365, 8, 4, 3],
    [40, 8, 8, 2],
  ])('%i pages, %i threads, %i cores: %i workers', (pages, threads, cores, workers) => {
    expect(snapshotWorkers(pages, threads, cores)).toBe(workers);
  });
});
