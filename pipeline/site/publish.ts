import { mkdir, readdir, rename, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from '../process-alive.ts';
import { RELEASES_MARKER, checkSiteDir, releasesDir, type SiteDirContext } from './site-dir.ts';

// Layout: <site> is a symlink to <site>.releases/<time>/. A new release is built beside the
// others, then a fresh symlink is renamed over <site>: rename(2) swaps it atomically, so nginx
// serves the old release or the new one, never a half-built one. Only entries this tool named are
// ever removed; an adopted folder is kept for good.

export const KEEP_RELEASES = 3;
const RELEASE_NAME = /^\d{4}-\d\d-\d\dT[\d-]+Z$/;

/** A fresh work folder for one build, in the releases folder (the same filesystem as the site). */
export async function createWorkDir(siteDir: string): Promise<string> {
  const releases = releasesDir(siteDir);
  await mkdir(releases, { recursive: true });
  await writeFile(path.join(releases, RELEASES_MARKER), 'made by dockpeek-security\n');
  const dir = path.join(releases, `.building-${process.pid}-${Date.now()}`);
  await mkdir(dir);
  return dir;
}

/**
 * Make `builtDir` the published site; returns the release folder and the one it replaced (kept
 * for rollback). The site dir is checked again first: what was safe before the build must still be.
 */
export async function publishRelease(
  builtDir: string,
  siteDir: string,
  context: SiteDirContext,
): Promise<{ release: string; previous?: string; adopted?: string }> {
  const state = await checkSiteDir(siteDir, context);
  const releases = releasesDir(siteDir);
  const name = new Date().toISOString().replace(/[:.]/g, '-');
  const release = path.join(releases, name);
  await rename(builtDir, release);
  const link = `${siteDir}.link-${process.pid}`;
  await rm(link, { force: true });
  // Relative, so the site dir and its releases can be moved together.
  await symlink(path.join(path.basename(releases), name), link);
  let adopted: string | undefined;
  if (state.kind === 'empty') await rmdir(siteDir);
  if (state.kind === 'adopt') {
    adopted = path.join(releases, `adopted-${name}`);
    await rename(siteDir, adopted);
  }
  await rename(link, siteDir);
  const previous = state.kind === 'ours' ? path.basename(state.release) : undefined;
  await pruneReleases(siteDir, [name, ...(previous ? [previous] : [])]);
  return {
    release,
    ...(previous && { previous: path.join(releases, previous) }),
    ...(adopted && { adopted }),
  };
}

/**
 * Keep the newest `count` releases (and always those in `keep`); drop leftovers of builds that
 * died.
 */
export async function pruneReleases(
  siteDir: string,
  keep: string[],
  count = KEEP_RELEASES,
): Promise<void> {
  const releases = releasesDir(siteDir);
  const entries = (await readdir(releases)).sort().reverse();
  const published = entries.filter((e) => RELEASE_NAME.test(e));
  const kept = new Set([...published.slice(0, count), ...keep]);
  for (const entry of entries) {
    const building = /^\.building-(\d+)-\d+$/.exec(entry);
    const stale = building
      ? !isProcessAlive(Number(building[1]))
      : RELEASE_NAME.test(entry) && !kept.has(entry);
    if (stale) await rm(path.join(releases, entry), { recursive: true, force: true });
  }
}
