// Fleet-wide search by CVE id and package name: the index (assets/search-index.js, written by the
// build) is loaded when the search box is first focused (or on the first keystroke), as a classic
// script so it also works from file://.

/** The index as the build writes it (pipeline/site/model/schema/cves.ts). */
export interface SearchIndex {
  images: string[];
  cves: Record<string, { id: string; slug: string; images: number[] }>;
  packages: Record<string, number[]>;
}

/** What a query found in the index: the image pages carrying it, and words for the note. */
export interface SearchHit {
  images: Set<string>;
  /** The CVE typed exactly, when the index has it. */
  cve?: { id: string; slug: string; count: number };
  packages: string[];
}

declare global {
  interface Window {
    dockpeekSearch?: SearchIndex;
  }
}

let loading: Promise<SearchIndex | undefined> | undefined;

/** The index, when it has already loaded: a query can then be looked up in the same keystroke. */
export function loadedIndex(): SearchIndex | undefined {
  return window.dockpeekSearch;
}

/** Load the index once; resolves undefined when it cannot be loaded (the text search still works). */
export function loadIndex(src: string): Promise<SearchIndex | undefined> {
  loading ??= new Promise((resolve) => {
    if (window.dockpeekSearch) return resolve(window.dockpeekSearch);
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve(window.dockpeekSearch);
    script.onerror = () => resolve(undefined);
    document.head.append(script);
  });
  return loading;
}

/** Images whose findings carry the CVE id (exact, or a prefix such as "cve-2024-") or a package name containing the query. */
export function lookUp(index: SearchIndex, query: string): SearchHit | undefined {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return undefined;
  const hit: SearchHit = { images: new Set(), packages: [] };
  const add = (list: number[]) => {
    for (const at of list) hit.images.add(index.images[at]!);
  };
  const exact = index.cves[q];
  if (exact) {
    add(exact.images);
    hit.cve = { id: exact.id, slug: exact.slug, count: exact.images.length };
  } else if (/^[a-z]+-\d/.test(q)) {
    for (const [id, entry] of Object.entries(index.cves)) if (id.startsWith(q)) add(entry.images);
  }
  for (const [name, list] of Object.entries(index.packages)) {
    if (!name.includes(q)) continue;
    hit.packages.push(name);
    add(list);
  }
  return hit.images.size > 0 ? hit : undefined;
}

/** Say in `note` what the index found for `q` (hidden when nothing): the CVE's page, the packages. */
export function describeHit(
  note: HTMLElement,
  hit: SearchHit | undefined,
  q: string,
  scriptSrc: string,
): void {
  note.hidden = !hit;
  note.textContent = '';
  if (!hit) return;
  const root = new URL('..', scriptSrc).href;
  if (hit.cve) {
    const link = document.createElement('a');
    link.href = `${root}cves/${hit.cve.slug}.html`;
    link.textContent = hit.cve.id;
    note.append(link, ` is in ${hit.cve.count} image${hit.cve.count === 1 ? '' : 's'}.`);
  }
  if (hit.packages.length) {
    const names = hit.packages.slice(0, 5).join(', ');
    const more = hit.packages.length > 5 ? ` and ${hit.packages.length - 5} more` : '';
    note.append(`${hit.cve ? ' ' : ''}Vulnerable packages matching “${q}”: ${names}${more}.`);
  }
}
