// The containers table's state in the URL query (filters, view, sort, page), written so that Back
// undoes a filter; and remembered for this tab, so an image page's "All containers" link returns
// to the table as it was left.
import type { Filters } from './filters.ts';

/** push: a new history entry (Back returns here); replace: amend this one; none: leave the URL. */
export type HistoryMode = 'push' | 'replace' | 'none';

const REMEMBERED = 'dockpeek.containers-query';

export interface Order {
  sortKey: string | undefined;
  sortDir: 'asc' | 'desc';
  /** The page, when not the page's own. */
  page: number | undefined;
}

/** Run `work` after the next frame is painted. */
function afterPaint(work: () => void): void {
  requestAnimationFrame(() => setTimeout(work, 0));
}

/**
 * Write the table's state into the URL: a new entry at once, or, while typing, in place once the
 * frame is painted (the URL is not on screen, and a history call costs a slow phone ~20 ms).
 */
export function writeQuery(f: Filters, order: Order, mode: HistoryMode, hash: string): void {
  if (mode === 'replace') afterPaint(() => writeNow(f, order, mode, hash));
  else if (mode === 'push') writeNow(f, order, mode, hash);
}

function writeNow(f: Filters, order: Order, mode: HistoryMode, hash: string): void {
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

/** The table's state read from the query into the form; whether the query held any. */
export function readQuery(form: HTMLFormElement, firstPage: number): Order & { any: boolean } {
  const params = new URLSearchParams(location.search);
  let any = params.has('sort') || params.has('page');
  for (const field of form.elements as unknown as Iterable<HTMLInputElement>) {
    if (!field.name) continue;
    any ||= params.has(field.name);
    if (field.type === 'checkbox') field.checked = params.get(field.name) === '1';
    else field.value = params.get(field.name) ?? '';
  }
  return {
    any,
    sortKey: params.get('sort') || undefined,
    sortDir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number(params.get('page')) || firstPage,
  };
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
