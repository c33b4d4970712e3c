// @ts-check
// Node's compile cache keeps the type-stripped and compiled form of every module it loads, so a
// later run neither loads the TypeScript stripper nor strips or compiles a file again
// (bench/results/cli-start.md). Plain JavaScript: it must run before the first .ts file loads.
import { mkdirSync, statSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The user's own cache folder: $XDG_CACHE_HOME, else ~/.cache. Never a shared /tmp folder (another
 * user could plant code there that we would run) and never the project (a run as root would leave
 * root-owned files in a user's checkout). Undefined when there is no home to put it in.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
export function compileCacheDir(env) {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG rule: a relative (or empty) XDG_CACHE_HOME is ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'dockpeek-security', 'compile-cache');
  const home = [env.HOME, userHome()].find((dir) => dir && path.isAbsolute(dir));
  return home ? path.join(home, '.cache', 'dockpeek-security', 'compile-cache') : undefined;
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
 * Turn the cache on in the folder above, unless NODE_COMPILE_CACHE names another (Node has then
 * enabled it already) or NODE_DISABLE_COMPILE_CACHE=1 turns it off. Never fails the run: without
 * a usable folder the CLI only starts slower. Returns what happened, for tests.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string}
 */
export function enableCompileCache(env) {
  // Node reads both itself; set at all (even empty), NODE_DISABLE_COMPILE_CACHE turns it off.
  if (env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return 'left to Node';
  const dir = compileCacheDir(env);
  if (!dir || !makeDirectory(dir)) return 'no usable folder';
  const { status } = module.enableCompileCache(dir);
  return status === module.constants.compileCacheStatus.ENABLED ? 'enabled' : `status ${status}`;
}

/**
 * mkdir -p one level at a time. Node's recursive mkdir (also used inside enableCompileCache)
 * spins forever when a parent exists but cannot hold children, as under /proc or behind a
 * dangling symlink; here any failure just means no cache.
 * @param {string} dir
 * @returns {boolean}
 */
function makeDirectory(dir) {
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
