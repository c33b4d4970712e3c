// @ts-check
// Node's compile cache keeps the type-stripped and compiled form of every module it loads, so a
// later run neither loads the TypeScript stripper nor strips or compiles a file again
// (bench/results/cli-start.md). Plain JavaScript: it must run before the first .ts file loads.
import module from 'node:module';
import path from 'node:path';
import { makePrivateCacheDir, userCacheDir } from '../pipeline/user-cache-dir.mjs';

const FOLDER = 'compile-cache';

/**
 * `compile-cache/` in the user's own cache folder (pipeline/user-cache-dir.mjs). Undefined when
 * there is no home to put it in.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
export function compileCacheDir(env) {
  const base = userCacheDir(env);
  return base && path.join(base, FOLDER);
}

/**
 * Turn the cache on in the folder above, unless NODE_COMPILE_CACHE names another (Node has then
 * enabled it already) or NODE_DISABLE_COMPILE_CACHE=1 turns it off. The cache holds code we run,
 * checked by a CRC32 only, so only a folder no other user can write to or swap will do
 * (makePrivateCacheDir). Never fails the run, and says nothing: without a usable folder the CLI
 * only starts slower. Returns what happened, for tests.
 * @param {NodeJS.ProcessEnv} env
 * @returns {string}
 */
export function enableCompileCache(env) {
  // Node reads both itself; set at all (even empty), NODE_DISABLE_COMPILE_CACHE turns it off.
  if (env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return 'left to Node';
  const dir = makePrivateCacheDir(env, FOLDER);
  if (!dir) return 'no usable folder';
  const { status } = module.enableCompileCache(dir);
  return status === module.constants.compileCacheStatus.ENABLED ? 'enabled' : `status ${status}`;
}
