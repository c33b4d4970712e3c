// The snapshot-page worker: when a build has many snapshot pages to render (the first build, or
// new code, with a year of history), this thread renders them too, on the other core. It takes
// runs of pages from the counter it shares with the build process's main thread, and builds
// their data itself from the archives (the model stays in the main thread).
import { parentPort, workerData } from 'node:worker_threads';
import { loadSnapshotPages, type SnapshotPagesSource } from '../model/history.ts';
import type { SiteModel } from '../model/index.ts';
import { VOCABULARY } from '../model/schema/site.ts';
import { loadRenderer, renderSnapshotPages } from './render-pages.ts';
import { provideSiteInput } from './site-input.ts';

export interface SnapshotWorkerJob {
  source: SnapshotPagesSource;
  rendererDir: string;
  outDir: string;
  ids: string[];
  /** An Int32Array's buffer: the index of the next run of `ids` to render. */
  counter: SharedArrayBuffer;
}

/** Snapshot pages read only the vocabulary from the model; anything else is a mistake, said so. */
const vocabularyOnly = new Proxy({ vocabulary: VOCABULARY } as Partial<SiteModel>, {
  get(model, key) {
    if (key in model) return model[key as keyof SiteModel];
    throw new Error(`snapshot pages read only model.vocabulary, not model.${String(key)}`);
  },
}) as SiteModel;

const job = workerData as SnapshotWorkerJob;
provideSiteInput({ model: vocabularyOnly, historyPage: loadSnapshotPages(job.source) });
const render = await loadRenderer(job.rendererDir);
const rendered = await renderSnapshotPages(
  render,
  job.ids,
  new Int32Array(job.counter),
  job.outDir,
);
parentPort!.postMessage(rendered);
