import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoData } from '../../pipeline/demo/create-demo-data.ts';
import { snapshotWorkers } from '../../pipeline/site/render/snapshot-pages.ts';
import { releasesDir } from '../../pipeline/site/site-dir.ts';
import { runCli } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';

const COMPILED = 'compiled the pages for this version';
const renderers = (site: string) =>
  readdirSync(releasesDir(site)).filter((e) => e.startsWith('.renderer-'));

// The pages are compiled once per code version (Vite and the bundler run then, in a process of
// their own); every later build renders with that renderer.
describe('the compiled renderer', () => {
  it('is compiled by the first build, reused by the next, and replaces a stale one', async () => {
    const dataDir = await demoStore();
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-renderer-')), 'site');
    // A renderer of another code version, left by an older install.
    mkdirSync(path.join(releasesDir(site), '.renderer-0123456789abcdef', 'server'), {
      recursive: true,
    });
    writeFileSync(
      path.join(releasesDir(site), '.dockpeek-releases'),
      'made by dockpeek-security\n',
    );
    const first = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {});
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain(COMPILED);
    const [current] = renderers(site);
    expect(renderers(site)).toEqual([current]);
    expect(current).not.toBe('.renderer-0123456789abcdef');

    const second = await runCli(['build', '--data-dir', dataDir, '--site-dir', site], {});
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).not.toContain(COMPILED);
    expect(renderers(site)).toEqual([current]);
    const home = readFileSync(path.join(site, 'index.html'), 'utf8');
    expect(home).toContain('Security overview');
    // Each CVE and image page found its own entry in the model.
    const cve = readdirSync(path.join(site, 'cves'))[0]!;
    expect(readFileSync(path.join(site, 'cves', cve), 'utf8')).toContain(cve.replace('.html', ''));
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
