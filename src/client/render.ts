// Putting a <dp-table>'s rows in order and in the document: only the rows of the current page
// become elements (made from their markup on first show), in one flat body or in one body per
// group (host and stack) with its header row; and the buttons that turn the pages.
import { ensureElements, sortRows, type Row } from './rows.ts';

/** How rows are ordered before any column sort (docs/dashboard.md#needs-attention). */
export type View = 'attention' | 'worst' | 'grouped';

/** The rows in the view's order, then by the column sort if one is chosen; in place. */
export function arrangeRows(
  rows: Row[],
  view: View,
  sortKey: string | undefined,
  dir: 'asc' | 'desc',
): Row[] {
  if (view === 'grouped') rows.sort((a, b) => a.order - b.order);
  else {
    const tier = (r: Row) => (view === 'attention' ? r.attention : 0);
    rows.sort((a, b) => tier(b) - tier(a) || b.weight - a.weight || a.order - b.order);
  }
  if (!sortKey) return rows;
  sortRows(rows, sortKey, dir);
  // Grouped, a column sort orders the rows within their group.
  return view === 'grouped' ? rows.sort((a, b) => a.group - b.group) : rows;
}

interface Layout {
  grouped: boolean;
  /** Each group's header row, as markup until first shown. */
  heads: Array<string | HTMLTableRowElement>;
  collapsed: ReadonlySet<number>;
}

/** What the table shows now: nothing is redone when a keystroke leaves it the same. */
const shownNow = new WeakMap<HTMLElement, string>();

/** Put `rows` in the table of `root`, replacing the rows it showed. */
export function renderRows(root: HTMLElement, rows: Row[], layout: Layout): void {
  const table = root.querySelector('table');
  if (!table) return;
  const key = `${layout.grouped ? 'g' : 'f'}:${rows.map((r) => r.id).join(' ')}`;
  if (shownNow.get(root) === key || (!shownNow.has(root) && matchesPage(table, rows, layout))) {
    shownNow.set(root, key);
    return;
  }
  shownNow.set(root, key);
  ensureElements(rows);
  const bodies: HTMLTableSectionElement[] = [];
  let body: HTMLTableSectionElement | undefined;
  for (const row of rows) {
    if (!body || (layout.grouped && Number(body.dataset.groupIndex) !== row.group)) {
      body = document.createElement('tbody');
      if (layout.grouped) {
        body.dataset.group = '';
        body.dataset.groupIndex = String(row.group);
        const head = headOf(layout.heads, row.group);
        if (head) body.append(head);
        if (layout.collapsed.has(row.group)) body.classList.add('collapsed');
        head
          ?.querySelector('[data-collapse]')
          ?.setAttribute('aria-expanded', String(!layout.collapsed.has(row.group)));
      } else body.dataset.flat = '';
      bodies.push(body);
    }
    body.append(row.el!);
  }
  for (const old of table.querySelectorAll(':scope > tbody')) old.remove();
  table.append(...bodies);
  table.classList.toggle('flat', !layout.grouped);
}

/** On load: the server-rendered rows are already these, in this layout. */
function matchesPage(table: HTMLTableElement, rows: Row[], layout: Layout): boolean {
  const present = [...table.querySelectorAll<HTMLTableRowElement>('tbody > tr[data-row]')];
  const flat = table.querySelectorAll('tbody[data-group]').length === 0;
  if (flat === layout.grouped || present.length !== rows.length) return false;
  if (!present.every((el, i) => rows[i]!.el === el)) return false;
  if (layout.grouped)
    table.querySelectorAll<HTMLElement>('tbody[data-group]').forEach((b) => {
      const row = rows.find((r) => r.el?.parentElement === b);
      if (row) b.dataset.groupIndex = String(row.group);
    });
  return true;
}

/** A group's header row, made from its markup the first time. */
function headOf(heads: Layout['heads'], group: number): HTMLTableRowElement | undefined {
  const head = heads[group];
  if (typeof head !== 'string') return head;
  const template = document.createElement('template');
  template.innerHTML = head;
  const el = template.content.firstElementChild as HTMLTableRowElement;
  heads[group] = el;
  return el;
}

interface Pages {
  /** Index of the first row shown. */
  start: number;
  shown: number;
  total: number;
  page: number;
  pages: number;
}

/**
 * "Rows 26–50 of 846", the page number, and the buttons to the previous and next pages. Made
 * once, then updated in place: a button keeps the keyboard focus across pages.
 */
export function renderPager(nav: HTMLElement, p: Pages): void {
  if (nav.dataset.client === undefined) {
    nav.dataset.client = '';
    const text = document.createElement('span');
    text.dataset.pagerText = '';
    text.setAttribute('aria-live', 'polite');
    const button = (label: string, rel: string) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.dataset.rel = rel;
      return b;
    };
    const at = document.createElement('span');
    at.dataset.pagerAt = '';
    nav.replaceChildren(text, button('← Previous page', 'prev'), at, button('Next page →', 'next'));
  }
  nav.querySelector('[data-pager-text]')!.textContent =
    p.total === 0 ? 'No rows.' : `Rows ${p.start + 1}–${p.start + p.shown} of ${p.total}.`;
  nav.querySelector('[data-pager-at]')!.textContent =
    p.pages > 1 ? `Page ${p.page} of ${p.pages}` : '';
  for (const b of nav.querySelectorAll<HTMLButtonElement>('button[data-rel]')) {
    const next = b.dataset.rel === 'next';
    b.hidden = p.pages <= 1;
    b.disabled = next ? p.page >= p.pages : p.page <= 1;
    b.dataset.pageTo = String(next ? p.page + 1 : p.page - 1);
  }
}
