// The site dir is what nginx serves: a symlink this tool swaps to <site>.releases/<time>/. Before
// any work, refuse every site dir that would make publishing move, overwrite or delete something
// this tool did not create: a folder with files, `/`, the home folder, the data dir or the project.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { DockpeekError } from '../errors.ts';

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
    refuse(
      siteDir,
      `it is a symlink to ${target}, which dockpeek-security did not make`,
      'Remove the symlink (the folder it points to is not touched), or choose another --site-dir.',
    );
  }
  if (!stat.isDirectory())
    refuse(siteDir, 'it is a file', 'Choose a folder that does not exist yet, or an empty one.');
  if ((await readdir(siteDir)).length === 0) return { kind: 'empty' };
  if (context.adopt) return { kind: 'adopt' };
  return refuse(
    siteDir,
    'it is a folder with files that dockpeek-security did not make, and publishing would replace it',
    `Choose a new folder (it is created), empty this one, or pass --adopt to move it to ${releasesDir(siteDir)}/adopted-<time>/ (kept, never deleted) and publish in its place.`,
  );
}

/** Refuse `/`, the home folder, and any path equal to, inside or around the data dir or project. */
function checkPlacement(siteDir: string, context: SiteDirContext): void {
  const home = path.resolve(context.home ?? homedir());
  if (siteDir === path.parse(siteDir).root)
    refuse(
      siteDir,
      'it is the root of the filesystem',
      'Use a folder of its own, such as /var/lib/dockpeek/site.',
    );
  if (siteDir === home)
    refuse(siteDir, 'it is your home folder', 'Use a folder of its own, such as ~/dockpeek-site.');
  const data = path.resolve(context.dataDir);
  if (siteDir === data || isInside(siteDir, data) || isInside(data, siteDir))
    refuse(
      siteDir,
      `it is, contains or lies inside the data dir ${data}`,
      'Keep the site and the data apart, e.g. --data-dir /var/lib/dockpeek/data --site-dir /var/lib/dockpeek/site.',
    );
  const project = path.resolve(context.projectRoot);
  if (siteDir === project || isInside(project, siteDir))
    refuse(
      siteDir,
      `it is or contains the installed project ${project}`,
      'Use a folder of its own.',
    );
  // Inside the project only as a new top-level folder (./dist): never inside src/, node_modules/…
  if (isInside(siteDir, project) && path.relative(project, siteDir).includes(path.sep))
    refuse(
      siteDir,
      `it lies inside the project's own folder ${path.join(project, path.relative(project, siteDir).split(path.sep)[0]!)}`,
      'Use a folder outside the project, or a new top-level one such as ./dist.',
    );
}

/** <site>.releases must be absent, marked as ours, or hold only entries this tool names. */
async function checkReleasesDir(siteDir: string): Promise<void> {
  const dir = releasesDir(siteDir);
  const stat = await lstat(dir).catch(() => null);
  if (!stat) return;
  if (!stat.isDirectory() || stat.isSymbolicLink())
    refuse(
      siteDir,
      `${dir} exists and is not a folder dockpeek-security made`,
      'Move it away or choose another --site-dir.',
    );
  const entries = await readdir(dir);
  if (entries.includes(RELEASES_MARKER)) return;
  const foreign = entries.filter((e) => !OUR_ENTRY.test(e));
  if (foreign.length > 0)
    refuse(
      siteDir,
      `${dir} exists and holds files dockpeek-security did not make (${foreign.slice(0, 3).join(', ')})`,
      'Move them away or choose another --site-dir.',
    );
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function refuse(siteDir: string, why: string, hint: string): never {
  throw new DockpeekError('site_dir_unsafe', `refusing to publish to ${siteDir}: ${why}`, hint);
}
