/// <reference types="astro/client" />

// The site model, handed to the pages by the build (pipeline/site/render/astro-build.ts).
declare module 'virtual:dockpeek/site' {
  type Model = import('../pipeline/site/model/index.ts').SiteModel;
  type Page = import('../pipeline/site/model/index.ts').HistoryPage;
  export const model: Model;
  export function historyPage(id: string): Promise<Page>;
}
