import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

// Node's compile cache holds module code guarded by a CRC32 only: a cache another user can write
// to, or can swap, is code they can make us run (issue 28). Node's own trace
// (NODE_DEBUG_NATIVE=COMPILE_CACHE) shows whether a run used the cache at all.

const TRACE = { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };
const IS_ROOT = process.geteuid?.() === 0;
const NOBODY = IS_ROOT ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })) : -1;

/** A folder of ours (0700) for one case. */
const temp = (name: string) => mkdtempSync(path.join(tmpdir(), `dpk-cco-${name}-`));

/** mkdir -p with this mode for the last level, planting a file in it. */
function folder(dir: string, mode = 0o700, owner?: number): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, 'planted'), 'not to be touched\n');
  chmodSync(dir, mode);
  if (owner !== undefined) chownSync(dir, owner, owner);
  return dir;
}

/** Everything under `dir`, so a run that writes there shows. */
const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

/** A case: the env of the run, and the folder it must leave as it is. */
type Setup = (root: string) => { env: Record<string, string>; untouched: string };

/** XDG_CACHE_HOME `xdg`, its compile cache untouched. */
const xdgCase = (
  xdg: string,
  untouched = path.join(xdg, 'dockpeek-security', 'compile-cache'),
) => ({
  env: { XDG_CACHE_HOME: xdg },
  untouched,
});

async function expectNoCache({ env, untouched }: ReturnType<Setup>) {
  const before = listing(untouched);
  const run = await runCli(['--version'], { ...env, ...TRACE });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  // Nothing from Node's compile cache, and nothing else either.
  expect(run.stderr).toBe('');
  expect(listing(untouched)).toEqual(before);
}

describe('a compile cache folder others could write to is not used', () => {
  it.each<[string, Setup]>([
    [
      'compile-cache/ writable by its group',
      (root) => {
        folder(path.join(root, 'dockpeek-security', 'compile-cache'), 0o770);
        return xdgCase(root);
      },
    ],
    [
      'compile-cache/ a symlink (to a folder of ours)',
      (root) => {
        folder(path.join(root, 'dockpeek-security'));
        const target = folder(path.join(root, 'elsewhere'));
        symlinkSync(target, path.join(root, 'dockpeek-security', 'compile-cache'));
        return xdgCase(root, target);
      },
    ],
    [
      'dockpeek-security/ a symlink (to a folder of ours)',
      (root) => {
        const target = folder(path.join(root, 'elsewhere'));
        folder(path.join(target, 'compile-cache'));
        symlinkSync(target, path.join(root, 'dockpeek-security'));
        return xdgCase(root, target);
      },
    ],
    [
      'a folder above it that anyone may write to, without the sticky bit',
      (root) => {
        folder(path.join(root, 'open', 'cache', 'dockpeek-security', 'compile-cache'));
        chmodSync(path.join(root, 'open'), 0o777);
        return xdgCase(path.join(root, 'open', 'cache'));
      },
    ],
  ])('%s', async (_, setup) => {
    await expectNoCache(setup(temp('refused')));
  });
});

describe.runIf(IS_ROOT)('as root, a compile cache folder of another user (nobody)', () => {
  it.each<[string, Setup]>([
    [
      'compile-cache/ theirs',
      (root) => {
        folder(path.join(root, 'dockpeek-security'));
        folder(path.join(root, 'dockpeek-security', 'compile-cache'), 0o755, NOBODY);
        return xdgCase(root);
      },
    ],
    [
      'dockpeek-security/ theirs',
      (root) => {
        folder(path.join(root, 'dockpeek-security'), 0o755, NOBODY);
        folder(path.join(root, 'dockpeek-security', 'compile-cache'), 0o755, NOBODY);
        return xdgCase(root);
      },
    ],
    [
      // sudo -E: their HOME, their ~/.cache, their cache folders.
      'their HOME (no XDG_CACHE_HOME)',
      (root) => {
        const home = folder(path.join(root, 'home'), 0o755, NOBODY);
        for (const dir of [
          '.cache',
          '.cache/dockpeek-security',
          '.cache/dockpeek-security/compile-cache',
        ])
          folder(path.join(home, dir), 0o755, NOBODY);
        return { env: { HOME: home }, untouched: home };
      },
    ],
    [
      // Ours, in a folder of theirs: they could swap it for their own between check and use.
      'XDG_CACHE_HOME theirs, the folders in it ours',
      (root) => {
        const xdg = folder(path.join(root, 'xdg'), 0o755, NOBODY);
        folder(path.join(xdg, 'dockpeek-security', 'compile-cache'));
        return xdgCase(xdg);
      },
    ],
    [
      'XDG_CACHE_HOME a symlink (of ours) into a folder of theirs',
      (root) => {
        const theirs = folder(path.join(root, 'theirs'), 0o755, NOBODY);
        folder(path.join(theirs, 'dockpeek-security', 'compile-cache'));
        symlinkSync(theirs, path.join(root, 'link'));
        return xdgCase(path.join(root, 'link'));
      },
    ],
  ])('%s', async (_, setup) => {
    await expectNoCache(setup(temp('nobody')));
  });
});

describe('a compile cache folder of our own is used', () => {
  it.each<[string, (root: string) => string]>([
    [
      'already there, 0700',
      (root) => folder(path.join(root, 'dockpeek-security', 'compile-cache')) && root,
    ],
    [
      'through a symlink (in a folder of ours) to a folder of ours',
      (root) => {
        const target = folder(path.join(root, 'real'));
        symlinkSync(target, path.join(root, 'link'));
        return path.join(root, 'link');
      },
    ],
  ])('%s', async (_, setup) => {
    const xdg = setup(temp('own'));
    const dir = path.join(xdg, 'dockpeek-security', 'compile-cache');
    const run = await runCli(['--version'], { XDG_CACHE_HOME: xdg, ...TRACE });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('[compile cache] resolved path ');
    expect(existsSync(dir) && readdirSync(dir).some((e) => e.startsWith('v'))).toBe(true);
  });
});
