// The compiled renderer's entry (compile-renderer.ts): Astro's app, one request per page. Not
// run by Node from here: Astro bundles it with the pages.
import { createApp } from 'astro/app/entrypoint';

const app = createApp({ streaming: false });

/** Render the page at `pathname` (`/`, `/cves`, `/cves/CVE-2024-1234`, …). */
export function renderPage(pathname: string): Promise<Response> {
  return app.render(new Request(new URL(pathname, 'http://dockpeek.invalid')));
}
