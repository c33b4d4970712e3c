// @ts-check
// Whether a folder holds only what the user running this put there: the caches keep code we run
// (Node's compile cache, the site's renderer), so a folder another user can write to, or can swap
// for one of theirs, is code they can make us run. Plain JavaScript: the CLI's entry
// (bin/compile-cache.mjs) needs it before the first .ts file loads.
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Symlinks followed on one path before it counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * A real folder (no symlink) of the user running this, writable by no one else.
 * @param {string} dir
 * @returns {boolean}
 */
export function isPrivateFolder(dir) {
  const stats = statOf(dir);
  if (!stats?.isDirectory()) return false;
  return stats.uid === process.geteuid?.() && (stats.mode & 0o022) === 0;
}

/**
 * Whether only this user and root can change what the absolute path `dir` leads to, as far as it
 * exists: every folder on it, and on every symlink's target, is theirs and writable by no one
 * else, unless sticky (as /tmp, where others cannot move our entries). A symlink in such a folder
 * cannot be changed by another user either.
 * @param {string} dir
 * @returns {boolean}
 */
export function isTrustedPath(dir) {
  const pending = parts(dir);
  let at = path.parse(dir).root;
  let links = 0;
  if (!isTrustedAncestor(at)) return false;
  for (let part = pending.pop(); part !== undefined; part = pending.pop()) {
    // `at` is always a real folder reached through checked ones, so its parent was checked too.
    if (part === '..') at = path.dirname(at);
    if (part === '.' || part === '..') continue;
    const next = path.join(at, part);
    const stats = statOf(next);
    // What is missing is made later by us, and checked again then.
    if (stats === undefined) return true;
    if (stats === null) return false;
    if (stats.isSymbolicLink()) {
      if (++links > MAX_LINKS) return false;
      const target = linkOf(next);
      if (target === undefined) return false;
      if (path.isAbsolute(target)) at = path.parse(target).root;
      pending.push(...parts(target));
      continue;
    }
    if (!isTrustedAncestor(next, stats)) return false;
    at = next;
  }
  return true;
}

/**
 * The parts of a path, last first (a stack).
 * @param {string} dir
 */
function parts(dir) {
  return dir.split(path.sep).filter(Boolean).reverse();
}

/**
 * A folder of this user or root that no one else can write to, or only with the sticky bit.
 * @param {string} dir
 * @param {import('node:fs').Stats | null | undefined} stats
 */
function isTrustedAncestor(dir, stats = statOf(dir)) {
  if (!stats?.isDirectory()) return false;
  const owner = stats.uid === process.geteuid?.() || stats.uid === 0;
  return owner && ((stats.mode & 0o022) === 0 || (stats.mode & 0o1000) !== 0);
}

/**
 * lstat without throwing: undefined when missing, null when it cannot be read.
 * @param {string} file
 */
function statOf(file) {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return null;
  }
}

/** @param {string} file */
function linkOf(file) {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}
