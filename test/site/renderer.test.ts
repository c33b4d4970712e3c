import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
