import { copyFileSync, linkSync, readdirSync, statSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FINGERPRINTS_FILE, pagePath, readFingerprints } from '../history-reuse.ts';
import { buildSiteModel } from '../model/build-model.ts';
import type { VexSource } from '../../findings/risk.ts';
import { CLIENT_SCRIPT, writeSearchIndex } from './client-bundle.ts';
import { loadRenderer, pageRoutes, renderPages, renderToBuffer } from './render-pages.ts';
import {
  SHELL_ROUTE,
  recordRendered,
  reuseShellPages,
  shellOf,
  shellPageFile,
  type ShellCandidate,
} from './shell-reuse.ts';
import { provideSiteInput } from './site-input.ts';
import { startSnapshotPages } from './snapshot-pages.ts';

/** One build, as the parent process asks for it (plain data: it crosses a process boundary). */
export interface RenderJob {
  dataDir: string;
  /** Where the release is written; a fresh folder. */
  outDir: string;
  /** The build's own work folder (also the child's cwd). */
  workDir: string;
  /** The compiled renderer for this code (renderer-cache.ts). */
  rendererDir: string;
  /** Hash of the code (history-reuse.ts hashCode): a snapshot page made by other code is redone. */
  codeHash: string;
  /** The release published now, whose unchanged snapshot pages are reused. */
  previousRelease?: string;
  /** ISO time the build tells "now" by. */
  now: string;
  staleAfterMs: number;
  resultTtlMs: number;
  version: string;
  /** Accepted-risk rules (DOCKPEEK_VEX). */
  vex?: VexSource;
  /** EPSS percentile (0..1) for "Fix first". */
  fixFirstPercentile?: number;
  /** The heap limit of the build process (DOCKPEEK_BUILD_HEAP), also its worker threads'. */
  heapMiB?: number;
  /** Threads rendering snapshot pages (DOCKPEEK_BUILD_THREADS); absent: 2. */
  threads?: number;
}

export interface RenderResult {
  pages: number;
  bytes: number;
  /** Snapshot pages linked unchanged from the previous release. */
  reused: number;
  /** CVE and image pages taken unchanged from the previous release, with this build's header. */
  reusedShellPages: Record<ShellCandidate['folder'], number>;
  /** Snapshot pages rendered, and the threads that rendered them. */
  snapshotPages: { rendered: number; threads: number };
  /** Problems in the inputs (rejected rules documents): the site is built, the run degraded. */
  problems: string[];
}

/** Build the model from the store, render its pages, add the client script and the reused pages. */
export async function renderSite(job: RenderJob): Promise<RenderResult> {
  const previous = job.previousRelease
    ? readFingerprints(job.previousRelease)
    : { history: {}, shells: {} };
  const input = await buildSiteModel({
    dataDir: job.dataDir,
    now: new Date(job.now),
    staleAfterMs: job.staleAfterMs,
    resultTtlMs: job.resultTtlMs,
    codeHash: job.codeHash,
    ...(job.previousRelease && { previousRelease: job.previousRelease }),
    previousFingerprints: previous.history,
    version: job.version,
    ...(job.vex && { vex: job.vex }),
    ...(job.fixFirstPercentile !== undefined && { fixFirstPercentile: job.fixFirstPercentile }),
  });
  provideSiteInput(input);
  const snapshotPages = startSnapshotPages(
    {
      source: input.snapshotPages,
      rendererDir: job.rendererDir,
      outDir: job.outDir,
      ids: input.model.history.render,
    },
    { threads: job.threads ?? 2, ...(job.heapMiB && { heapMiB: job.heapMiB }) },
  );
  const render = await loadRenderer(job.rendererDir);
  const shell = shellOf(await renderToBuffer(render, SHELL_ROUTE));
  const shellPages = reuseShellPages({
    pages: [
      ...input.model.cves.map((cve) => ({ folder: 'cves' as const, slug: cve.slug, entry: cve })),
      ...input.model.images.map((image) => ({
        folder: 'images' as const,
        slug: image.slug,
        entry: image,
      })),
    ],
    codeHash: job.codeHash,
    shell,
    outDir: job.outDir,
    ...(job.previousRelease && { previousRelease: job.previousRelease }),
    previous: previous.shells,
  });
  const toRecord = new Set(shellPages.render.map(shellPageFile));
  const routes = pageRoutes(shellPages.render, input.model.table.pages);
  await renderPages(render, routes, job.outDir, (page, chunks) => {
    if (toRecord.has(page.file)) {
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      recordRendered(shellPages, page.file, bytes, shell);
    }
  });
  await snapshotPages.finish(render);
  await mkdir(path.join(job.outDir, path.dirname(CLIENT_SCRIPT)), { recursive: true });
  await copyFile(path.join(job.rendererDir, CLIENT_SCRIPT), path.join(job.outDir, CLIENT_SCRIPT));
  await writeSearchIndex(job.outDir, input.model.search);
  const { reuse, fingerprints } = input.pagePlan;
  if (reuse.length > 0) await mkdir(path.join(job.outDir, 'history'), { recursive: true });
  for (const id of reuse)
    linkOrCopy(path.join(job.previousRelease!, pagePath(id)), path.join(job.outDir, pagePath(id)));
  await writeFile(
    path.join(job.outDir, FINGERPRINTS_FILE),
    JSON.stringify({ history: fingerprints, shells: shellPages.records }),
  );
  return {
    ...measure(job.outDir),
    reused: reuse.length,
    reusedShellPages: shellPages.reused,
    snapshotPages: {
      rendered: input.model.history.render.length,
      threads: snapshotPages.workers + 1,
    },
    problems: input.problems,
  };
}

/**
 * A hard link shares the page with the release it came from; another filesystem gets a copy.
 * Synchronous: a year of history is 365 links, ~10× faster so.
 */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Pages and bytes of the release (synchronous: ~1,500 stat calls, ~10× faster so). */
function measure(dir: string): { pages: number; bytes: number } {
  let pages = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    if (entry.name.endsWith('.html')) pages += 1;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { pages, bytes };
}
