// @ts-check
// The user's own cache folder for dockpeek-security. Plain JavaScript: the CLI's entry
// (bin/compile-cache.mjs) needs it before the first .ts file loads.
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPrivateFolder, isTrustedPath } from './private-folder.mjs';

/**
 * `$XDG_CACHE_HOME/dockpeek-security`, else `~/.cache/dockpeek-security`. Never a shared /tmp
 * folder (another user could plant code there that we would run) and never the project (a run as
 * root would leave root-owned files in a user's checkout). Undefined when there is no home.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
export function userCacheDir(env) {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG rule: a relative (or empty) XDG_CACHE_HOME is ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'dockpeek-security');
  const home = [env.HOME, userHome()].find((dir) => dir && path.isAbsolute(dir));
  return home ? path.join(home, '.cache', 'dockpeek-security') : undefined;
}

/**
 * `names` in the user's cache folder, made one level at a time (0700), for code we run: only when
 * every folder from the cache folder down is a private folder of the user running this, and every
 * one above it only theirs or root's to change (pipeline/private-folder.mjs). Undefined otherwise:
 * the caller goes without the cache.
 * @param {NodeJS.ProcessEnv} env
 * @param {string[]} names
 * @returns {string | undefined}
 */
export function makePrivateCacheDir(env, ...names) {
  const base = userCacheDir(env);
  if (!base) return undefined;
  const above = path.dirname(base);
  // Checked before anything is made in it, and again once made (a symlink may have appeared).
  if (!isTrustedPath(above) || !makeCacheDirectory(above) || !isTrustedPath(above))
    return undefined;
  let dir = base;
  for (const name of ['', ...names]) {
    dir = path.join(dir, name);
    if (!makeCacheDirectory(dir) || !isPrivateFolder(dir)) return undefined;
  }
  return dir;
}

/** The home folder from the user database, when HOME is unset. */
function userHome() {
  try {
    return os.userInfo().homedir;
  } catch {
    return undefined;
  }
}

/**
 * mkdir -p one level at a time, each new level private to the user (0700). Node's recursive mkdir
 * spins forever when a parent exists but cannot hold children, as under /proc or behind a
 * dangling symlink; here any failure just returns false (a cache is only an optimisation).
 * @param {string} dir
 * @returns {boolean}
 */
export function makeCacheDirectory(dir) {
  const missing = [];
  for (let at = dir; !isDirectory(at); at = path.dirname(at)) {
    if (path.dirname(at) === at) return false;
    missing.unshift(at);
  }
  for (const at of missing) {
    try {
      mkdirSync(at, 0o700);
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') return false;
    }
  }
  return isDirectory(dir);
}

/** @param {string} dir */
function isDirectory(dir) {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
