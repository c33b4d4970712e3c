import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../../bin/compile-cache.mjs';
import { runCli } from '../helpers/cli.ts';

const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `dpk-cc-${name}-`));

/** The cache entries Node wrote under a compile-cache folder (one subfolder per Node version). */
function entries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((version) => readdirSync(path.join(dir, version)));
}

describe('the compile cache folder', () => {
  it.each([
    ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' }, '/x/cache'],
    ['HOME without XDG_CACHE_HOME', { HOME: '/home/a' }, '/home/a/.cache'],
    [
      'a relative XDG_CACHE_HOME (ignored)',
      { XDG_CACHE_HOME: 'cache', HOME: '/home/a' },
      '/home/a/.cache',
    ],
    [
      'an empty XDG_CACHE_HOME (ignored)',
      { XDG_CACHE_HOME: '', HOME: '/home/a' },
      '/home/a/.cache',
    ],
  ])('%s', (_, env, base) => {
    expect(compileCacheDir(env)).toBe(path.join(base, 'dockpeek-security', 'compile-cache'));
  });

  it('never a relative HOME: the user database decides then', () => {
    expect(compileCacheDir({ HOME: 'home' })).toMatch(/^\/.*\/\.cache\/dockpeek-security\//);
  });
});

describe('a run with the compile cache', () => {
  it('fills $XDG_CACHE_HOME/dockpeek-security/compile-cache, and the next run reads it', async () => {
    const xdg = temp('xdg');
    const dir = path.join(xdg, 'dockpeek-security', 'compile-cache');
    const first = await runCli(['--version'], { XDG_CACHE_HOME: xdg });
    expect(first.exitCode).toBe(0);
    expect(entries(dir).length).toBeGreaterThan(0);
    // Node's own trace says the type-stripped entry module came from the cache.
    const second = await runCli(['--version'], {
      XDG_CACHE_HOME: xdg,
      NODE_DEBUG_NATIVE: 'COMPILE_CACHE',
    });
    expect(second.stdout).toMatch(/^\d+\.\d+\.\d+$/);
    expect(second.stderr).toMatch(
      /transpile cache for StrippedTypeScript \S+\/main\.ts\.\.\.success/,
    );
  });

  it('uses ~/.cache without XDG_CACHE_HOME', async () => {
    const home = temp('home');
    expect((await runCli(['--version'], { HOME: home })).exitCode).toBe(0);
    expect(entries(path.join(home, '.cache', 'dockpeek-security', 'compile-cache'))).not.toEqual(
      [],
    );
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE=1', async () => {
    const xdg = temp('off');
    const run = await runCli(['--version'], {
      XDG_CACHE_HOME: xdg,
      NODE_DISABLE_COMPILE_CACHE: '1',
    });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(xdg)).toEqual([]);
  });

  it('leaves the folder to NODE_COMPILE_CACHE when that is set', async () => {
    const [xdg, node] = [temp('xdg2'), temp('node')];
    const run = await runCli(['--version'], { XDG_CACHE_HOME: xdg, NODE_COMPILE_CACHE: node });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(xdg)).toEqual([]);
    expect(entries(node)).not.toEqual([]);
  });

  // Node's recursive mkdir spins forever on these (a parent that exists but cannot hold children);
  // the run must neither hang nor fail, only go without a cache.
  const dangling = temp('dangling');
  symlinkSync(path.join(dangling, 'gone'), path.join(dangling, 'cache'));
  const file = path.join(temp('file'), 'a-file');
  writeFileSync(file, '');
  it.each([
    ['a folder under /proc', '/proc/dockpeek-no-such-dir'],
    ['a dangling symlink', path.join(dangling, 'cache')],
    ['a file in the way', file],
  ])('runs without a cache when the folder is unusable: %s', async (_, xdg) => {
    const run = await runCli(['--version'], { XDG_CACHE_HOME: xdg });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run.stderr).toBe('');
  });
});
