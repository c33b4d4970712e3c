// The site dir is what nginx serves: a symlink this tool swaps to <site>.releases/<time>/. Before
// any work, refuse every site dir that would make publishing move, overwrite or delete something
// this tool did not create: a folder with files, `/`, the home folder, the data dir or the project.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { createError } from '../errors.ts';
import { SITE_ERRORS } from '../errors/site-errors.ts';

/** Written into <site>.releases/ when this tool creates it: the proof that it is ours. */
export const RELEASES_MARKER = '.dockpeek-releases';
/**
 * Names this tool gives entries of <site>.releases/ (releases, builds and compiles in progress,
 * the compiled renderer, adopted folders).
 */
const OUR_ENTRY =
  /^(\d{4}-\d\d-\d\dT[\d-]+Z|\.(building|compiling|work)-\d+-\d+|\.renderer-[0-9a-f]{16}|(moved|adopted)-[\dTZ-]+|\.dockpeek-releases)$/;

/** Folder holding the releases of a site dir. */
export function releasesDir(siteDir: string): string {
  return `${siteDir}.releases`;
}

/** What the site dir is now, once it is known to be safe to publish to. */
export type SiteDirState =
  | { kind: 'absent' }
  | { kind: 'empty' }
  /** A symlink into its own releases: `release` is the published folder. */
  | { kind: 'ours'; release: string }
  /** A folder with files that --adopt allows to be moved into the releases folder. */
  | { kind: 'adopt' };

export interface SiteDirContext {
  dataDir: string;
  projectRoot: string;
  /** --adopt: move an existing folder with files aside (kept, never deleted). */
  adopt: boolean;
  home?: string;
}

/** Check the site dir (an absolute path) before any work; throws site_dir_unsafe saying what to do. */
export async function checkSiteDir(
  siteDir: string,
  context: SiteDirContext,
): Promise<SiteDirState> {
  checkPlacement(siteDir, context);
  await checkReleasesDir(siteDir);
  const stat = await lstat(siteDir).catch(() => null);
  if (!stat) return { kind: 'absent' };
  if (stat.isSymbolicLink()) {
    const target = path.resolve(path.dirname(siteDir), await readlink(siteDir));
    if (path.dirname(target) === releasesDir(siteDir)) return { kind: 'ours', release: target };
    throw createError(SITE_ERRORS.siteDirForeignSymlink, { siteDir, target });
  }
  if (!stat.isDirectory()) throw createError(SITE_ERRORS.siteDirIsFile, { siteDir });
  if ((await readdir(siteDir)).length === 0) return { kind: 'empty' };
  if (context.adopt) return { kind: 'adopt' };
  throw createError(SITE_ERRORS.siteDirHasFiles, { siteDir, releases: releasesDir(siteDir) });
}

/** Refuse `/`, the home folder, and any path equal to, inside or around the data dir or project. */
function checkPlacement(siteDir: string, context: SiteDirContext): void {
  const home = path.resolve(context.home ?? homedir());
  if (siteDir === path.parse(siteDir).root)
    throw createError(SITE_ERRORS.siteDirIsRoot, { siteDir });
  if (siteDir === home) throw createError(SITE_ERRORS.siteDirIsHome, { siteDir });
  const data = path.resolve(context.dataDir);
  if (siteDir === data || isInside(siteDir, data) || isInside(data, siteDir))
    throw createError(SITE_ERRORS.siteDirNearData, { siteDir, dataDir: data });
  const project = path.resolve(context.projectRoot);
  if (siteDir === project || isInside(project, siteDir))
    throw createError(SITE_ERRORS.siteDirHoldsProject, { siteDir, project });
  // Inside the project only as a new top-level folder (./dist): never inside src/, node_modules/…
  if (isInside(siteDir, project) && path.relative(project, siteDir).includes(path.sep)) {
    const folder = path.join(project, path.relative(project, siteDir).split(path.sep)[0]!);
    throw createError(SITE_ERRORS.siteDirInsideProject, { siteDir, folder });
  }
}

/** <site>.releases must be absent, marked as ours, or hold only entries this tool names. */
async function checkReleasesDir(siteDir: string): Promise<void> {
  const dir = releasesDir(siteDir);
  const stat = await lstat(dir).catch(() => null);
  if (!stat) return;
  if (!stat.isDirectory() || stat.isSymbolicLink())
    throw createError(SITE_ERRORS.releasesNotFolder, { siteDir, dir });
  const entries = await readdir(dir);
  if (entries.includes(RELEASES_MARKER)) return;
  const foreign = entries.filter((e) => !OUR_ENTRY.test(e));
  if (foreign.length > 0) throw createError(SITE_ERRORS.releasesForeign, { siteDir, dir, foreign });
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
