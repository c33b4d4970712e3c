// The rows of a <dp-table>: what the filters need, read once from data attributes when the
// element upgrades, and the text they do not repeat in attributes (it would weigh on 1,000 rows of
// the page), read from their cells on first use and kept on the row.

/** What the filters need of a row, read once when the element upgrades (no DOM reads per keystroke). */
export interface Row {
  el: HTMLTableRowElement;
  home: HTMLTableSectionElement;
  order: number;
  host: string;
  stack: string;
  severities: string[];
  fixable: boolean;
  state: string;
  image: string;
  kev: boolean;
  /** Highest EPSS score of the image's findings; -1 when none is scored. */
  epss: number;
  /** Name, image, stack, host and anchor in lower case; read from the cells on the first search. */
  search?: string;
  /** Sort values read from cells, once. */
  sortText?: Record<string, string>;
}

/** Every row of a table, with what the filters need, read once when the table upgrades. */
export function readRows(root: HTMLElement): Row[] {
  return [...root.querySelectorAll<HTMLTableRowElement>('tbody tr[data-row]')].map((el, order) => {
    const d = el.dataset;
    return {
      el,
      home: el.parentElement as HTMLTableSectionElement,
      order,
      host: d.host ?? '',
      stack: d.stack ?? '',
      severities: (d.severities ?? '').split(' '),
      fixable: d.fixable === 'true',
      state: d.state ?? '',
      image: d.image ?? '',
      kev: d.kev === 'true',
      epss: d.epss ? Number(d.epss) : -1,
    };
  });
}

/**
 * Text columns of the container table carry no sort attribute (it would repeat the cell on 1,000
 * rows of the page): their value is the cell's text, read on the first sort by it and kept.
 */
const SORT_CELLS: Record<string, string> = {
  sortName: '.cname',
  sortState: '.state',
  sortImage: 'td.image',
};

/** What the search box matches; built from the row's cells once (no attribute repeats them). */
export function searchText(row: Row): string {
  if (row.search === undefined) {
    const text = (selector: string) => row.el.querySelector(selector)?.textContent?.trim() ?? '';
    const stack = row.stack.startsWith('s:') ? row.stack.slice(2) : '';
    const anchor = text('.card-line').replace(/^depends on /, '');
    row.search = [text('.cname'), text('td.image'), stack, row.host, anchor]
      .join(' ')
      .toLowerCase();
  }
  return row.search;
}

/**
 * Build every row's search text in idle slices after the table upgrades, so that the first
 * keystroke does not read 1,000 rows' cells. A key typed before it is done builds the rest itself.
 */
export function prepareSearchText(rows: Row[]): void {
  // Safari has no requestIdleCallback: slices of 8 ms between tasks instead.
  const idle =
    window.requestIdleCallback?.bind(window) ??
    ((work: IdleRequestCallback) =>
      setTimeout(() => {
        const end = performance.now() + 8;
        work({ didTimeout: false, timeRemaining: () => Math.max(0, end - performance.now()) });
      }, 1));
  let next = 0;
  const slice = (deadline: IdleDeadline) => {
    while (next < rows.length && deadline.timeRemaining() > 1) searchText(rows[next++]!);
    if (next < rows.length) idle(slice);
  };
  idle(slice);
}

export function sortValue(row: Row, key: string): string {
  const given = row.el.dataset[key];
  if (given !== undefined) return given;
  row.sortText ??= {};
  if (row.sortText[key] === undefined) {
    const cell = SORT_CELLS[key] ? row.el.querySelector(SORT_CELLS[key]) : null;
    row.sortText[key] = cell?.textContent?.trim() ?? '';
  }
  return row.sortText[key];
}

/** Sort rows by a column; numbers numerically, text by locale, ties by name. */
export function sortRows(rows: Row[], sortKey: string, dir: 'asc' | 'desc'): Row[] {
  const key = `sort${sortKey[0]!.toUpperCase()}${sortKey.slice(1)}`;
  const sign = dir === 'desc' ? -1 : 1;
  return rows.sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const nx = Number(x);
    const ny = Number(y);
    const cmp =
      x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
    return sign * cmp || sortValue(a, 'sortName').localeCompare(sortValue(b, 'sortName'));
  });
}
