// Why a site dir is refused before any work: publishing never moves, overwrites or deletes what
// this tool did not create (docs/deployment.md, "The site dir").
import type { ErrorEntry } from '../errors.ts';

const SITE_DIR = 'docs/deployment.md#the-site-dir';
const refusing = (siteDir: string, why: string) => `refusing to publish to ${siteDir}: ${why}`;

type SiteArgs = { siteDir: string };

export const SITE_ERRORS = {
  siteDirForeignSymlink: {
    code: 'site_dir_unsafe',
    title: 'The site dir is a symlink this tool did not make',
    message: ({ siteDir, target }: SiteArgs & { target: string }) =>
      refusing(siteDir, `it is a symlink to ${target}, which dockpeek-security did not make`),
    hint: 'Remove the symlink (the folder it points to is not touched), or choose another --site-dir.',
    docs: SITE_DIR,
  },
  siteDirIsFile: {
    code: 'site_dir_unsafe',
    title: 'The site dir is a file',
    message: ({ siteDir }: SiteArgs) => refusing(siteDir, 'it is a file'),
    hint: 'Choose a folder that does not exist yet, or an empty one.',
    docs: SITE_DIR,
  },
  siteDirHasFiles: {
    code: 'site_dir_unsafe',
    title: 'The site dir holds files this tool did not make',
    message: ({ siteDir }: SiteArgs & { releases: string }) =>
      refusing(
        siteDir,
        'it is a folder with files that dockpeek-security did not make, and publishing would replace it',
      ),
    hint: ({ releases }: SiteArgs & { releases: string }) =>
      `Choose a new folder (it is created), empty this one, or pass --adopt to move it to ${releases}/adopted-<time>/ (kept, never deleted) and publish in its place.`,
    docs: SITE_DIR,
  },
  siteDirIsRoot: {
    code: 'site_dir_unsafe',
    title: 'The site dir is the root of the filesystem',
    message: ({ siteDir }: SiteArgs) => refusing(siteDir, 'it is the root of the filesystem'),
    hint: 'Use a folder of its own, such as /var/lib/dockpeek/site.',
    docs: SITE_DIR,
  },
  siteDirIsHome: {
    code: 'site_dir_unsafe',
    title: 'The site dir is the home folder',
    message: ({ siteDir }: SiteArgs) => refusing(siteDir, 'it is your home folder'),
    hint: 'Use a folder of its own, such as ~/dockpeek-site.',
    docs: SITE_DIR,
  },
  siteDirNearData: {
    code: 'site_dir_unsafe',
    title: 'The site dir and the data dir overlap',
    message: ({ siteDir, dataDir }: SiteArgs & { dataDir: string }) =>
      refusing(siteDir, `it is, contains or lies inside the data dir ${dataDir}`),
    hint: 'Keep the site and the data apart, e.g. --data-dir /var/lib/dockpeek/data --site-dir /var/lib/dockpeek/site.',
    docs: SITE_DIR,
  },
  siteDirHoldsProject: {
    code: 'site_dir_unsafe',
    title: 'The site dir is or contains the installed project',
    message: ({ siteDir, project }: SiteArgs & { project: string }) =>
      refusing(siteDir, `it is or contains the installed project ${project}`),
    hint: 'Use a folder of its own.',
    docs: SITE_DIR,
  },
  siteDirInsideProject: {
    code: 'site_dir_unsafe',
    title: "The site dir lies inside one of the project's folders",
    message: ({ siteDir, folder }: SiteArgs & { folder: string }) =>
      refusing(siteDir, `it lies inside the project's own folder ${folder}`),
    hint: 'Use a folder outside the project, or a new top-level one such as ./dist.',
    docs: SITE_DIR,
  },
  releasesNotFolder: {
    code: 'site_dir_unsafe',
    title: 'The releases folder is not one this tool made',
    message: ({ siteDir, dir }: SiteArgs & { dir: string }) =>
      refusing(siteDir, `${dir} exists and is not a folder dockpeek-security made`),
    hint: 'Move it away or choose another --site-dir.',
    docs: SITE_DIR,
  },
  releasesForeign: {
    code: 'site_dir_unsafe',
    title: 'The releases folder holds files this tool did not make',
    message: ({ siteDir, dir, foreign }: SiteArgs & { dir: string; foreign: string[] }) =>
      refusing(
        siteDir,
        `${dir} exists and holds files dockpeek-security did not make (${foreign.slice(0, 3).join(', ')})`,
      ),
    hint: 'Move them away or choose another --site-dir.',
    docs: SITE_DIR,
  },
} satisfies Record<string, ErrorEntry<any>>;
