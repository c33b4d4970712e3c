// The rows of a <dp-table>: what the filters, orders and notes need of each. On the home page they
// come as data (assets/containers.js, lib/row-data.ts) and only the rows on screen become
// elements; on a snapshot page every row is in the page and is read from its attributes once.
import type { RowData } from '../lib/row-data.ts';
import { inIdleSlices } from './idle.ts';

declare global {
  interface Window {
    dockpeekRows?: RowData;
  }
}

/** What the filters need of a row: read once, never from the DOM per keystroke. */
export interface Row {
  /** Its element: made from `html` when first shown (data), or read from the page. */
  el?: HTMLTableRowElement;
  html?: string;
  id: string;
  /** Index of its group (host and stack) in the grouped table. */
  group: number;
  /** Position in the grouped table. */
  order: number;
  host: string;
  stack: string;
  severities: string[];
  /** Findings with a fix; -1 when unknown (not scanned). */
  fixable: number;
  state: string;
  image: string;
  kev: boolean;
  /** Highest EPSS score of the image's findings; -1 when none is scored. */
  epss: number;
  /** "Needs attention" tier (docs/dashboard.md#needs-attention). */
  attention: number;
  /** Worst-first severity weight. */
  weight: number;
  /** Name, state and image as shown (sort texts); read from the cells on first use on a page. */
  texts?: { name: string; state: string; image: string };
  /** Name, image, stack, host and anchor in lower case. */
  search?: string;
}

/** The rows of the data script. */
export function rowsFromData(data: RowData): Row[] {
  return data.rows.map((t, order) => ({
    html: t[0],
    group: t[1],
    id: t[2],
    order,
    host: t[3],
    stack: t[4],
    severities: t[5] ? t[5].split(' ') : [],
    fixable: t[6],
    state: t[7],
    image: t[8],
    kev: t[9] === 1,
    epss: t[10],
    attention: t[11],
    weight: t[12],
    texts: { name: t[13], state: t[14], image: t[15] },
    search: t[16],
  }));
}

/** Every row of a table in the page, read once when the table upgrades. */
export function rowsFromDom(root: HTMLElement): Row[] {
  const bodies = [...root.querySelectorAll<HTMLTableSectionElement>('tbody')];
  return [...root.querySelectorAll<HTMLTableRowElement>('tbody tr[data-row]')].map((el, order) => {
    const d = el.dataset;
    return {
      el,
      id: el.id,
      group: bodies.indexOf(el.parentElement as HTMLTableSectionElement),
      order,
      host: d.host ?? '',
      stack: d.stack ?? '',
      severities: (d.severities ?? '').split(' '),
      fixable: Number(d.sortFixable ?? -1),
      state: d.state ?? '',
      image: d.image ?? '',
      kev: d.kev === 'true',
      epss: d.epss ? Number(d.epss) : -1,
      attention: Number(d.attention ?? 1),
      weight: Number(d.sortSeverity ?? 0),
    };
  });
}

/** A table's rows, its group header rows (markup until shown), and its pages. */
export interface TableRows {
  rows: Row[];
  heads: Array<string | HTMLTableRowElement>;
  /** Rows on a page; Infinity when every row is in the page (a snapshot page). */
  pageSize: number;
  /** The page the document shows (containers-N.html shows page N). */
  firstPage: number;
}

/**
 * The rows as data (the home page, data-rows-src) or from the page (snapshot pages); undefined
 * when the data did not load (the server-rendered page and its links then are the table).
 */
export function readTable(table: HTMLElement): TableRows | undefined {
  if (table.dataset.rowsSrc === undefined)
    return {
      rows: rowsFromDom(table),
      heads: [...table.querySelectorAll<HTMLTableRowElement>('tbody > tr.group')],
      pageSize: Infinity,
      firstPage: 1,
    };
  const data = window.dockpeekRows;
  if (!data) return undefined;
  const rows = rowsFromData(data);
  // The rows the server rendered are these rows' elements already.
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const el of table.querySelectorAll<HTMLTableRowElement>('tr[data-row]')) {
    const row = byId.get(el.id);
    if (row) row.el = el;
  }
  return {
    rows,
    heads: data.groups,
    pageSize: Number(table.dataset.pageSize) || 25,
    firstPage: Number(table.dataset.page) || 1,
  };
}

/** Make the elements of rows that have none, parsing their markup in one go. */
export function ensureElements(rows: Row[]): void {
  const missing = rows.filter((r) => !r.el && r.html !== undefined);
  if (missing.length === 0) return;
  const template = document.createElement('template');
  template.innerHTML = missing.map((r) => r.html).join('');
  const made = [...template.content.children] as HTMLTableRowElement[];
  missing.forEach((row, i) => (row.el = made[i]));
}

/** Name, state and image as the row shows them. */
export function textsOf(row: Row): NonNullable<Row['texts']> {
  if (!row.texts) {
    const text = (selector: string) => row.el?.querySelector(selector)?.textContent?.trim() ?? '';
    row.texts = { name: text('.cname'), state: text('.state'), image: text('td.image') };
  }
  return row.texts;
}

/** What the search box matches; on a page, built from the row's cells once. */
export function searchText(row: Row): string {
  if (row.search === undefined) {
    const t = textsOf(row);
    const stack = row.stack.startsWith('s:') ? row.stack.slice(2) : '';
    const card = row.el?.querySelector('.card-line')?.textContent ?? '';
    const anchor = card.replace(/^depends on /, '');
    row.search = [t.name, t.image, stack, row.host, anchor].join(' ').toLowerCase();
  }
  return row.search;
}

/**
 * Build every row's search text in idle slices after the table upgrades, so that the first
 * keystroke does not read 1,000 rows' cells. A key typed before it is done builds the rest itself.
 */
export function prepareSearchText(rows: Row[]): void {
  if (rows.every((r) => r.search !== undefined)) return;
  inIdleSlices(
    () => rows.length,
    (i) => searchText(rows[i]!),
  );
}

/** A row's value for a column sort: numbers for counts, text for the rest. */
function sortValue(row: Row, key: string): string | number {
  if (key === 'severity') return row.weight;
  if (key === 'fixable') return row.fixable;
  const t = textsOf(row);
  return key === 'state' ? t.state : key === 'image' ? t.image : t.name;
}

/** Sort rows by a column (numbers numerically, text by locale), ties by name; in place. */
export function sortRows(rows: Row[], key: string, dir: 'asc' | 'desc'): Row[] {
  const sign = dir === 'desc' ? -1 : 1;
  return rows.sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const cmp =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * cmp || textsOf(a).name.localeCompare(textsOf(b).name);
  });
}
