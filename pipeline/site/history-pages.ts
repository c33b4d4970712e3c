// Snapshot pages do not change once rendered unless their inputs do, and with a year of history
// they are most of a build (1,000 containers × 365 days: 595 MiB, 34 s). The build renders only
// the pages whose fingerprint (src/lib/history-reuse.ts) differs from the published release's and
// hard-links the others from it, so the kept releases also share them on disk.
import { createHash } from 'node:crypto';
import {
  copyFile,
  link,
  mkdir,
  readFile,
  readdir,
  realpath,
  rm,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { DockpeekError, describeError } from '../errors.ts';

/** In each release: the fingerprint of every snapshot page, for the next build. */
export const FINGERPRINTS_FILE = '.history-pages.json';

/** What the page code tells the build (through DOCKPEEK_HISTORY_PLAN). */
export interface HistoryPlanFile {
  /** Ids whose page is taken from the previous release. */
  reuse: string[];
  /** Every page's fingerprint, for the next build. */
  fingerprints: Record<string, string>;
}

/** Where a snapshot's page lives in a release. */
export function pagePath(id: string): string {
  return path.join('history', `${id}.html`);
}

export interface HistoryReuse {
  /** Environment for the Astro build (read by src/lib/history-reuse.ts). */
  env: Record<string, string>;
  /** After the build: link the reused pages in, record fingerprints; returns how many were reused. */
  finish(): Promise<number>;
}

export async function prepareHistoryReuse(
  siteDir: string,
  buildDir: string,
  projectRoot: string,
): Promise<HistoryReuse> {
  const previous = await realpath(siteDir).catch(() => undefined);
  const planFile = `${buildDir}.history-plan.json`;
  const env: Record<string, string> = {
    DOCKPEEK_CODE_HASH: await hashCode(projectRoot),
    DOCKPEEK_HISTORY_PLAN: planFile,
    ...(previous && { DOCKPEEK_PREVIOUS_RELEASE: previous }),
  };
  return {
    env,
    async finish() {
      try {
        const plan = JSON.parse(await readFile(planFile, 'utf8')) as HistoryPlanFile;
        if (plan.reuse.length > 0) await mkdir(path.join(buildDir, 'history'), { recursive: true });
        for (const id of plan.reuse) {
          await linkOrCopy(path.join(previous!, pagePath(id)), path.join(buildDir, pagePath(id)));
        }
        await writeFile(path.join(buildDir, FINGERPRINTS_FILE), JSON.stringify(plan.fingerprints));
        return plan.reuse.length;
      } catch (error) {
        throw new DockpeekError(
          'build_failed',
          `could not take unchanged snapshot pages from ${previous}: ${describeError(error)}`,
          'The published site is unchanged. Remove the site dir to build every page again.',
        );
      } finally {
        await rm(planFile, { force: true });
      }
    },
  };
}

/** A hard link shares the page with the release it came from; another filesystem gets a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch {
    await copyFile(from, to);
  }
}

/** What renders the pages: every source file under src/ and pipeline/, and package.json. */
async function hashCode(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const folder of ['src', 'pipeline']) {
    const files = await readdir(path.join(root, folder), { recursive: true, withFileTypes: true });
    const names = files
      .filter((f) => f.isFile())
      .map((f) => path.join(f.parentPath, f.name))
      .sort();
    for (const file of names) hash.update(file.slice(root.length)).update(await readFile(file));
  }
  return hash.update(await readFile(path.join(root, 'package.json'))).digest('hex');
}
