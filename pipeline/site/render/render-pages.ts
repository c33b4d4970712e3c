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

/** Every page of the model: the fixed pages, one per CVE and image, and the snapshot pages to render. */
export function pageRoutes(model: SiteModel): PageRoute[] {
  const each = (folder: string, names: string[]) =>
    names.map((name) => ({
      route: `/${folder}/${encodeURIComponent(name)}`,
      file: path.join(folder, `${name}.html`),
    }));
  return [
    { route: '/', file: 'index.html' },
    ...['cves', 'history', 'accepted'].map((name) => ({ route: `/${name}`, file: `${name}.html` })),
    ...each(
      'cves',
      model.cves.map((cve) => cve.slug),
    ),
    ...each(
      'images',
      model.images.map((image) => image.slug),
    ),
    ...each('history', model.history.render),
  ];
}

type RenderPage = (route: string) => Promise<Response>;

/** Render `routes` with the compiled renderer into `outDir`, a few at a time. */
export async function renderPages(
  rendererDir: string,
  routes: PageRoute[],
  outDir: string,
): Promise<void> {
  const entry = pathToFileURL(path.join(rendererDir, RENDERER_ENTRY)).href;
  const { renderPage } = (await import(entry)) as { renderPage: RenderPage };
  const folders = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < routes.length) {
      const page = routes[next++]!;
      const response = await renderPage(page.route);
      if (response.status !== 200) {
        const detail = (await response.text()).trim().split('\n')[0]?.slice(0, 300);
        throw new Error(`page ${page.route} answered ${response.status}: ${detail || '(empty)'}`);
      }
      const file = path.join(outDir, page.file);
      const folder = path.dirname(file);
      if (!folders.has(folder)) await mkdir(folder, { recursive: true });
      folders.add(folder);
      await writeFile(file, new Uint8Array(await response.arrayBuffer()));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
