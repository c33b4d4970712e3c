// Fleet-wide search by CVE id (or an alias of it), package name, source package name and package
// URL: the index (assets/search-index.js, written by the
// build) is loaded when the search box is first focused (or on the first keystroke), as a classic
// script so it also works from file://.

/** The index as the build writes it (pipeline/site/model/schema/cves.ts): lists, not data keys. */
export interface SearchIndex {
  images: string[];
  cves: CveEntry[];
  /** Name, images, and its source package names and package URLs (space-separated), if known. */
  packages: Array<[name: string, images: number[], also?: string]>;
}

interface CveEntry {
  id: string;
  slug?: string;
  /** Other ids of it (DSA-…, GHSA-…): a query for one finds it. */
  aliases?: string[];
  images: number[];
}

/** What a query found in the index: the image pages carrying it, and words for the note. */
export interface SearchHit {
  images: Set<string>;
  /** The CVE typed exactly, when the index has it. */
  cve?: { id: string; slug?: string; count: number };
  packages: string[];
}

declare global {
  interface Window {
    dockpeekSearch?: SearchIndex;
  }
}

let loading: Promise<SearchIndex | undefined> | undefined;
const idMaps = new WeakMap<SearchIndex, Map<string, CveEntry[]>>();

/**
 * The index's CVEs by lower-case id, built on the first lookup: in a Map, a query such as
 * "constructor" or "__proto__" is a key like any other, never a property every object has.
 */
function cvesById(index: SearchIndex): Map<string, CveEntry[]> {
  let byId = idMaps.get(index);
  if (!byId) {
    byId = new Map();
    for (const entry of index.cves)
      for (const id of [entry.id, ...(entry.aliases ?? [])]) {
        const key = id.toLowerCase();
        const same = byId.get(key);
        if (!same) byId.set(key, [entry]);
        else if (!same.includes(entry)) same.push(entry);
      }
    idMaps.set(index, byId);
  }
  return byId;
}

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

/**
 * Images whose findings carry the CVE id or an alias of it (exact, or a prefix such as
 * "cve-2024-"), or a package whose name, source package or package URL contains the query.
 */
export function lookUp(index: SearchIndex, query: string): SearchHit | undefined {
  const q = query.trim().toLowerCase();
  if (q.length < 2) return undefined;
  const hit: SearchHit = { images: new Set(), packages: [] };
  const add = (list: number[]) => {
    for (const at of list) hit.images.add(index.images[at]!);
  };
  const byId = cvesById(index);
  const exact = byId.get(q);
  if (exact) {
    for (const entry of exact) add(entry.images);
    // Ids differing only in case share a query: the note names the first, counts all their images.
    const first = exact[0]!;
    hit.cve = { id: first.id, ...(first.slug && { slug: first.slug }), count: hit.images.size };
  } else if (/^[a-z]+-\d/.test(q)) {
    for (const [id, entries] of byId) if (id.startsWith(q)) for (const e of entries) add(e.images);
  }
  for (const [name, list, also] of index.packages) {
    if (name.includes(q)) hit.packages.push(name);
    else if (also?.includes(q))
      hit.packages.push(`${name} (${sourceMatching(also, q) ?? 'package URL'})`);
    else continue;
    add(list);
  }
  return hit.images.size > 0 ? hit : undefined;
}

/** The source package name among `also` that contains `q`, if one does (not a package URL). */
function sourceMatching(also: string, q: string): string | undefined {
  return also.split(' ').find((term) => !term.startsWith('pkg:') && term.includes(q));
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
    // An id beyond the pages made has no page: named, not linked to one that does not exist.
    const name = document.createElement(hit.cve.slug ? 'a' : 'strong');
    if (name instanceof HTMLAnchorElement) name.href = `${root}cves/${hit.cve.slug}.html`;
    name.textContent = hit.cve.id;
    note.append(name, ` is in ${hit.cve.count} image${hit.cve.count === 1 ? '' : 's'}.`);
  }
  if (hit.packages.length) {
    const names = hit.packages.slice(0, 5).join(', ');
    const more = hit.packages.length > 5 ? ` and ${hit.packages.length - 5} more` : '';
    note.append(`${hit.cve ? ' ' : ''}Vulnerable packages matching “${q}”: ${names}${more}.`);
  }
}
