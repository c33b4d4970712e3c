import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pagePath } from '../history-reuse.ts';
import { RENDERER_ENTRY } from './compile-renderer.ts';
import { createBlockArena } from './markup-blocks.ts';
import { shellPageFile } from './shell-reuse.ts';

/** Pages rendered at once: a snapshot page waits on reading its files while another renders. */
const CONCURRENCY = 2;

/** One page to write: the renderer's route and the file under the release. */
export interface PageRoute {
  route: string;
  file: string;
}

/**
 * The pages to render but the snapshot pages (renderSnapshotPages): the fixed pages, the home
 * page's further pages of containers (`tablePages` in all, the first is the home page) and the
 * rows they load, and the CVE and image pages `shellPages` (the others are reused, shell-reuse.ts).
 */
export function pageRoutes(
  shellPages: Array<{ folder: string; slug: string }>,
  tablePages = 1,
): PageRoute[] {
  return [
    { route: '/', file: 'index.html' },
    { route: '/assets/containers.js', file: 'assets/containers.js' },
    ...Array.from({ length: tablePages - 1 }, (_, i) => ({
      route: `/containers-${i + 2}`,
      file: `containers-${i + 2}.html`,
    })),
    ...['cves', 'history', 'accepted', 'fix-first', 'plans'].map((name) => ({
      route: `/${name}`,
      file: `${name}.html`,
    })),
    ...shellPages.map((page) => ({
      route: `/${page.folder}/${encodeURIComponent(page.slug)}`,
      file: shellPageFile(page),
    })),
  ];
}

/** A snapshot's page. */
export function snapshotRoute(id: string): PageRoute {
  return { route: `/history/${encodeURIComponent(id)}`, file: pagePath(id) };
}

type RenderPage = (route: string) => Promise<Response>;

/**
 * The compiled renderer. `render` hands a page's bytes, as chunks (markup blocks in place), to
 * `use`, which writes or reads them before the memory is reused; a page that does not answer 200
 * is an error.
 */
export type Renderer = (
  route: string,
  use: (chunks: Uint8Array[]) => Promise<void> | void,
) => Promise<void>;

const BLOCKS_KEY = Symbol.for('dockpeek.blocks');

export async function loadRenderer(rendererDir: string): Promise<Renderer> {
  const entry = pathToFileURL(path.join(rendererDir, RENDERER_ENTRY)).href;
  const { renderPage } = (await import(entry)) as { renderPage: RenderPage };
  // The pages place their large blocks of markup here (site-input.ts `placeBlock`).
  const arena = createBlockArena();
  (globalThis as Record<symbol, unknown>)[BLOCKS_KEY] = arena;
  let inFlight = 0;
  return async (route, use) => {
    inFlight += 1;
    try {
      const response = await renderPage(route);
      if (response.status !== 200) {
        const detail = (await response.text()).trim().split('\n')[0]?.slice(0, 300);
        throw new Error(`page ${route} answered ${response.status}: ${detail || '(empty)'}`);
      }
      await use(arena.expand(await readBody(response)));
    } finally {
      inFlight -= 1;
    }
    if (inFlight === 0) arena.release();
  };
}

/** A page rendered into one buffer (a page small enough, or one that is read, not written). */
export async function renderToBuffer(render: Renderer, route: string): Promise<Buffer> {
  let page: Buffer | undefined;
  await render(route, (chunks) => {
    page = Buffer.concat(chunks);
  });
  return page!;
}

/**
 * A response's bytes as its body's chunks are: a page is one chunk, and `arrayBuffer()` would copy
 * it again (into freshly mapped memory: a page fault per 4 KiB).
 */
async function readBody(response: Response): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read())
    chunks.push(read.value);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Write a page's chunks with one system call (a page has a few hundred at 1,000 containers). */
async function writeChunks(file: string, chunks: Uint8Array[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writev(chunks);
  } finally {
    await handle.close();
  }
}

/** Render `routes` into `outDir`, a few at a time; `rendered` sees each page's chunks. */
export async function renderPages(
  render: Renderer,
  routes: PageRoute[],
  outDir: string,
  rendered?: (page: PageRoute, chunks: Uint8Array[]) => void,
): Promise<void> {
  const folders = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < routes.length) {
      const page = routes[next++]!;
      const file = path.join(outDir, page.file);
      const folder = path.dirname(file);
      if (!folders.has(folder)) await mkdir(folder, { recursive: true });
      folders.add(folder);
      await render(page.route, (chunks) => {
        rendered?.(page, chunks);
        return writeChunks(file, chunks);
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Snapshot pages taken at once: each run of pages reads its first page's predecessor again. */
const SNAPSHOT_CHUNK = 8;

/**
 * Render the snapshot pages `ids` into `outDir`, a run of them at a time, taking each run from
 * `counter` (shared with the snapshot-page worker, which renders the same list on the other core).
 * In order within a run: each page's snapshot is the next page's "before", already read.
 */
export async function renderSnapshotPages(
  render: Renderer,
  ids: string[],
  counter: Int32Array,
  outDir: string,
): Promise<number> {
  let rendered = 0;
  if (ids.length > 0) await mkdir(path.join(outDir, 'history'), { recursive: true });
  for (;;) {
    const start = Atomics.add(counter, 0, SNAPSHOT_CHUNK);
    if (start >= ids.length) return rendered;
    for (const id of ids.slice(start, start + SNAPSHOT_CHUNK)) {
      const page = snapshotRoute(id);
      await render(page.route, (chunks) => writeChunks(path.join(outDir, page.file), chunks));
      rendered += 1;
    }
  }
}
