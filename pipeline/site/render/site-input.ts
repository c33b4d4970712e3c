import type { SiteInput } from '../model/build-model.ts';

const MODULE_ID = 'virtual:dockpeek/site';
const RESOLVED_ID = '\0dockpeek-site';
const INPUT_KEY = Symbol.for('dockpeek.site-input');

/**
 * Hand the validated model to the compiled pages, which read it through `virtual:dockpeek/site`
 * when they first render: no environment variable and no file carries it.
 */
export function provideSiteInput(input: Pick<SiteInput, 'model' | 'historyPage'>): void {
  (globalThis as Record<symbol, unknown>)[INPUT_KEY] = input;
}

/** The Vite plugin behind `virtual:dockpeek/site` (src/env.d.ts declares what it exports). */
export function siteInputPlugin() {
  return {
    name: 'dockpeek:site-input',
    resolveId: (id: string) => (id === MODULE_ID ? RESOLVED_ID : undefined),
    load: (id: string) => (id === RESOLVED_ID ? SOURCE : undefined),
  };
}

// Lookups are made on first use: the snapshot-page worker has no CVE or image pages.
const SOURCE = `
const input = globalThis[Symbol.for('dockpeek.site-input')];
if (!input) throw new Error('the site model exists only inside dockpeek-security build');
const find = (what, pages, key) => {
  let byKey;
  return (k) => {
    byKey ??= new Map(pages().map((page) => [key(page), page]));
    const page = byKey.get(k);
    if (!page) throw new Error('no ' + what + ' ' + JSON.stringify(k) + ' in the site model');
    return page;
  };
};
export const model = input.model;
export const historyPage = (id) => input.historyPage(id);
// Large blocks of markup (the containers table's rows), encoded as they are made when the build
// provides for it (render/markup-blocks.ts); else the markup itself.
export const placeBlock = (parts) => {
  const arena = globalThis[Symbol.for('dockpeek.blocks')];
  return arena ? arena.place(parts) : Array.from(parts).join('');
};
export const cvePage = find('CVE page', () => input.model.cves, (cve) => cve.slug);
export const imagePage = find('image page', () => input.model.images, (image) => image.slug);
`;
