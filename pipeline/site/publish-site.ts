import { rm } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from '../config/duration.ts';
import { describeError } from '../errors.ts';
import { PROJECT_ROOT } from '../project-root.ts';
import type { Reporter } from '../reporter.ts';
import { readVersion } from '../version.ts';
import type { VexSource } from '../findings/risk.ts';
import { renderInChild } from './build-site.ts';
import { KEEP_RELEASES, createWorkDir, publishRelease, pruneReleases } from './publish.ts';
import { checkSiteDir } from './site-dir.ts';

export interface PublishOptions {
  dataDir: string;
  siteDir: string;
  /** --adopt: a folder with files at the site dir is moved aside instead of refused. */
  adopt: boolean;
  staleAfterMs: number;
  resultTtlMs: number;
  now?: Date;
  vex?: VexSource;
  fixFirstPercentile?: number;
  /** Heap limit of the build process (DOCKPEEK_BUILD_HEAP); absent: none. */
  buildHeapBytes?: number;
  /** Threads rendering snapshot pages (DOCKPEEK_BUILD_THREADS); absent: one per core, up to 2. */
  buildThreads?: number;
}

/** Build the site from the store and publish it atomically; says where, how big and how long. */
export async function buildAndPublish(
  options: PublishOptions,
  out: Reporter,
): Promise<{ degraded: boolean }> {
  const started = performance.now();
  const context = { dataDir: options.dataDir, projectRoot: PROJECT_ROOT, adopt: options.adopt };
  const state = await checkSiteDir(options.siteDir, context);
  const workDir = await createWorkDir(options.siteDir);
  // The releases this one will push out are removed while its pages render: deleting a release of
  // a year of history takes 0.1–0.8 s, which would otherwise follow the build.
  const pruning =
    state.kind === 'ours'
      ? pruneReleases(options.siteDir, [path.basename(state.release)], KEEP_RELEASES - 1).catch(
          (error: unknown) => out.warn(`could not remove an old release: ${describeError(error)}`),
        )
      : Promise.resolve();
  try {
    const outDir = path.join(workDir, 'site');
    const heapMiB = options.buildHeapBytes && Math.floor(options.buildHeapBytes / (1 << 20));
    const result = await renderInChild({
      dataDir: options.dataDir,
      outDir,
      workDir,
      ...(state.kind === 'ours' && { previousRelease: state.release }),
      now: (options.now ?? new Date()).toISOString(),
      staleAfterMs: options.staleAfterMs,
      resultTtlMs: options.resultTtlMs,
      version: readVersion(),
      ...(options.vex && { vex: options.vex }),
      ...(options.fixFirstPercentile !== undefined && {
        fixFirstPercentile: options.fixFirstPercentile,
      }),
      ...(heapMiB && { heapMiB }),
      ...(options.buildThreads && { threads: options.buildThreads }),
    });
    if (result.retriedWithoutHeapLimit)
      out.warn(
        `build: the pages needed more than DOCKPEEK_BUILD_HEAP (${heapMiB} MiB) of heap; they were rendered again without a limit, using more memory`,
      );
    await pruning;
    const published = await publishRelease(outDir, options.siteDir, context);
    if (published.adopted)
      out.warn(`the folder that was at ${options.siteDir} is kept as ${published.adopted}`);
    if (result.compiled)
      out.info(
        result.rendererShared
          ? 'build: compiled the pages for this version of dockpeek-security (once per install)'
          : `build: compiled the pages for this version of dockpeek-security into ${path.dirname(workDir)} (once per site dir: no private, writable cache folder; see XDG_CACHE_HOME in docs/configuration.md)`,
      );
    const pages = (n: number, what: string) => `${n} ${what} page${n === 1 ? '' : 's'}`;
    const kept = [
      result.reused > 0 && `${pages(result.reused, 'snapshot')} unchanged, linked`,
      result.reusedShellPages.cves > 0 && `${pages(result.reusedShellPages.cves, 'CVE')} unchanged`,
      result.reusedShellPages.images > 0 &&
        `${pages(result.reusedShellPages.images, 'image')} unchanged`,
      result.snapshotPages.threads > 1 &&
        `${pages(result.snapshotPages.rendered, 'snapshot')} on ${result.snapshotPages.threads} threads`,
    ].filter(Boolean);
    const unchanged = kept.length > 0 ? ` (${kept.join('; ')})` : '';
    out.info(
      `build: ${result.pages} pages${unchanged}, ${(result.bytes / 1024).toFixed(0)} KiB, published to ${options.siteDir} in ${formatDuration(performance.now() - started)}`,
    );
    out.info(
      `  open ${path.join(options.siteDir, 'index.html')} in a browser, or serve ${options.siteDir} with nginx`,
    );
    for (const problem of result.problems) out.warn(`build: ${problem}`);
    return { degraded: result.problems.length > 0 };
  } finally {
    await pruning;
    await rm(workDir, { recursive: true, force: true });
  }
}
