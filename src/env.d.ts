/// <reference types="astro/client" />

// The site model, handed to the pages by the build (pipeline/site/render/site-input.ts). The
// build renders one page per CVE, image and snapshot it lists; each page finds its own by slug.
declare module 'virtual:dockpeek/site' {
  export const model: import('../pipeline/site/model/index.ts').SiteModel;
  export function historyPage(
    id: string,
  ): Promise<import('../pipeline/site/model/index.ts').HistoryPage>;
  export function cvePage(slug: string): import('../pipeline/site/model/index.ts').CvePage;
  export function imagePage(slug: string): import('../pipeline/site/model/index.ts').ImagePage;
  /** Markup placed in the page as it is (already escaped, e.g. container rows), a part at a time. */
  export function placeBlock(parts: Iterable<string>): string;
}
