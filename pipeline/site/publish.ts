import { lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../process-alive.ts';

// Layout: <site> is a symlink to <site>.releases/<time>/. A new release is built beside the
// others, then a fresh symlink is renamed over <site>: rename(2) swaps it atomically, so nginx
// serves the old release or the new one, never a half-built one.

export const KEEP_RELEASES = 3;

/** Folder holding the releases of a site dir. */
export function releasesDir(siteDir: string): string {
  return `${siteDir}.releases`;
}

/** A fresh folder to build the next release into, in the releases folder (same filesystem). */
export async function createBuildDir(siteDir: string): Promise<string> {
  const dir = path.join(releasesDir(siteDir), `.building-${process.pid}-${Date.now()}`);
  await mkdir(releasesDir(siteDir), { recursive: true });
  return dir;
}

/** Make `builtDir` the published site; returns the release it replaced, kept for rollback. */
export async function publishRelease(
  builtDir: string,
  siteDir: string,
): Promise<{ release: string; previous?: string }> {
  const releases = releasesDir(siteDir);
  const name = new Date().toISOString().replace(/[:.]/g, '-');
  const release = path.join(releases, name);
  await rename(builtDir, release);
  const previous = await currentRelease(siteDir);
  const link = `${siteDir}.link-${process.pid}`;
  await rm(link, { force: true });
  // Relative, so the site dir and its releases can be moved together.
  await symlink(path.join(path.basename(releases), name), link);
  const existing = await lstat(siteDir).catch(() => null);
  if (existing && !existing.isSymbolicLink()) {
    // A plain folder from an older version or another tool: keep it as a release (one-time move).
    await rename(siteDir, path.join(releases, `moved-${name}`));
  }
  await rename(link, siteDir);
  await pruneReleases(siteDir, [name, ...(previous ? [previous] : [])]);
  return { release, ...(previous && { previous: path.join(releases, previous) }) };
}

/** The release folder name <site> points at now, if it is a symlink. */
export async function currentRelease(siteDir: string): Promise<string | undefined> {
  const target = await readlink(siteDir).catch(() => undefined);
  return target ? path.basename(target) : undefined;
}

/** Keep the newest releases (and always the ones named in `keep`); drop leftovers of killed builds. */
async function pruneReleases(siteDir: string, keep: string[]): Promise<void> {
  const releases = releasesDir(siteDir);
  const entries = (await readdir(releases)).sort().reverse();
  const published = entries.filter((e) => !e.startsWith('.'));
  const kept = new Set([...published.slice(0, KEEP_RELEASES), ...keep]);
  for (const entry of entries) {
    const building = /^\.building-(\d+)-/.exec(entry);
    const stale = building ? !isProcessAlive(Number(building[1])) : !kept.has(entry);
    if (stale) await rm(path.join(releases, entry), { recursive: true, force: true });
  }
}
