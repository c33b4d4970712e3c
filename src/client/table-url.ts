// The containers table's state in the URL query (filters, view, sort, page), written so that Back
// undoes a filter; and remembered for this tab, so an image page's "All containers" link returns
// to the table as it was left.
import type { Filters } from './filters.ts';

/** push: a new history entry (Back returns here); replace: amend this one; none: leave the URL. */
export type HistoryMode = 'push' | 'replace' | 'none';

const REMEMBERED = 'dockpeek.containers-query';

interface Order {
  sortKey: string | undefined;
  sortDir: 'asc' | 'desc';
  /** The page, when not the page's own. */
  page: number | undefined;
}

/** Write the table's state into the URL, as a new entry or in place. */
export function writeQuery(f: Filters, order: Order, mode: HistoryMode, hash: string): void {
  if (mode === 'none') return;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) params.set(k, v);
  if (order.sortKey) {
    params.set('sort', order.sortKey);
    params.set('dir', order.sortDir);
  }
  if (order.page !== undefined) params.set('page', String(order.page));
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}${hash}`;
  if (url === `${location.pathname}${location.search}${location.hash}`) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** Remember this tab's table state (the home page's query). */
export function rememberQuery(): void {
  try {
    sessionStorage.setItem(REMEMBERED, location.search);
  } catch {
    // Storage can be off (privacy settings): the link then leads to the unfiltered table.
  }
}

/** Point each "All containers" link (data-back-home) at the table as this tab left it. */
export function restoreBackLinks(): void {
  let query: string | null = null;
  try {
    query = sessionStorage.getItem(REMEMBERED);
  } catch {
    return;
  }
  if (!query || !query.startsWith('?')) return;
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-back-home]')) {
    const url = new URL(link.href);
    url.search = query;
    url.hash = 'containers';
    link.href = url.href;
  }
}
