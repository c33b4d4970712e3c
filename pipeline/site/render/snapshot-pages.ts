import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HeapLimitError } from './child.ts';
import { renderSnapshotPages, type Renderer } from './render-pages.ts';
import type { SnapshotWorkerJob } from './snapshot-worker.ts';

/** Pages a worker must have to itself at least: below, its start (~0.4 s) costs more than it saves. */
const PAGES_PER_WORKER = 16;
const WORKER_ENTRY = new URL('./snapshot-worker.ts', import.meta.url);
/** The young generation V8 gets from the build process's --max-semi-space-size=16 (3 × 16). */
const YOUNG_GENERATION_MIB = 48;

/** How many worker threads render `pages` snapshot pages: `threads` in all, one per core at most. */
export function snapshotWorkers(pages: number, threads: number, cores = availableParallelism()) {
  return Math.max(0, Math.min(threads, cores, Math.floor(pages / PAGES_PER_WORKER) + 1) - 1);
}

/**
 * Start rendering the snapshot pages `job.ids`: with many of them, worker threads start on them at
 * once, and the main thread joins in (`finish`) when its other pages are done. All take runs of
 * pages from one shared counter, so each page is rendered once, by whichever thread is free.
 */
export function startSnapshotPages(
  job: Omit<SnapshotWorkerJob, 'counter'>,
  options: { threads: number; heapMiB?: number },
) {
  const counter = new SharedArrayBuffer(4);
  const workers = Array.from({ length: snapshotWorkers(job.ids.length, options.threads) }, () =>
    runWorker({ ...job, counter }, options.heapMiB),
  );
  // Awaited by `finish`; a failure meanwhile must not end the process unexplained.
  for (const worker of workers) worker.catch(() => undefined);
  return {
    workers: workers.length,
    /** Render on this thread what the workers have not taken; resolves when every page is written. */
    async finish(render: Renderer): Promise<void> {
      await renderSnapshotPages(render, job.ids, new Int32Array(counter), job.outDir);
      await Promise.all(workers);
    },
  };
}

function runWorker(job: SnapshotWorkerJob, heapMiB?: number): Promise<number> {
  const worker = new Worker(WORKER_ENTRY, {
    workerData: job,
    // The same heap limit as the build process's main thread (DOCKPEEK_BUILD_HEAP).
    ...(heapMiB && {
      resourceLimits: {
        maxOldGenerationSizeMb: heapMiB,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB,
      },
    }),
  });
  return new Promise((resolve, reject) => {
    let rendered = 0;
    worker.once('message', (count: number) => (rendered = count));
    worker.once('error', (error: Error & { code?: string }) =>
      reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new HeapLimitError() : error),
    );
    worker.once('exit', (code) =>
      code === 0
        ? resolve(rendered)
        : reject(new Error(`the snapshot-page worker stopped with exit code ${code}`)),
    );
  });
}
