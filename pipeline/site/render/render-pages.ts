import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SiteModel } from '../model/index.ts';
import { RENDERER_ENTRY } from './compile-renderer.ts';

/** Pages rendered at once: a snapshot page waits on reading its files while another renders. */
const CONCURRENCY = 2;

/** One page to write: the renderer's route and the file under the release. */
export interface PageRoute {
  route: string;
  file: string;
}

/**
 * The pages of the model to render: the fixed pages, the CVE pages `cves` (slugs: the others are
 * reused), one per image, and the snapshot pages to render.
 */
export function pageRoutes(model: SiteModel, cves: string[]): PageRoute[] {
  const each = (folder: string, names: string[]) =>
    names.map((name) => ({
      route: `/${folder}/${encodeURIComponent(name)}`,
      file: path.join(folder, `${name}.html`),
    }));
  return [
    { route: '/', file: 'index.html' },
    ...['cves', 'history', 'accepted'].map((name) => ({ route: `/${name}`, file: `${name}.html` })),
    ...each('cves', cves),
    ...each(
      'images',
      model.images.map((image) => image.slug),
    ),
    ...each('history', model.history.render),
  ];
}

type RenderPage = (route: string) => Promise<Response>;

/** The compiled renderer: a page's bytes by route; a page that does not answer 200 is an error. */
export type Renderer = (route: string) => Promise<Uint8Array>;

export async function loadRenderer(rendererDir: string): Promise<Renderer> {
  const entry = pathToFileURL(path.join(rendererDir, RENDERER_ENTRY)).href;
  const { renderPage } = (await import(entry)) as { renderPage: RenderPage };
  return async (route) => {
    const response = await renderPage(route);
    if (response.status !== 200) {
      const detail = (await response.text()).trim().split('\n')[0]?.slice(0, 300);
      throw new Error(`page ${route} answered ${response.status}: ${detail || '(empty)'}`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Render `routes` into `outDir`, a few at a time; `rendered` sees each page's bytes. */
export async function renderPages(
  render: Renderer,
  routes: PageRoute[],
  outDir: string,
  rendered?: (page: PageRoute, bytes: Uint8Array) => void,
): Promise<void> {
  const folders = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < routes.length) {
      const page = routes[next++]!;
      const bytes = await render(page.route);
      rendered?.(page, bytes);
      const file = path.join(outDir, page.file);
      const folder = path.dirname(file);
      if (!folders.has(folder)) await mkdir(folder, { recursive: true });
      folders.add(folder);
      await writeFile(file, bytes);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
