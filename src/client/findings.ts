// <dp-findings>: search, filters and column sort over a server-rendered list of findings (an
// image page) or of vulnerabilities (the CVE index). Without JS the whole list stays visible.
// Filter and sort state live in the URL query, as on the home table: a filtered view can be
// bookmarked, and each change of a filter is a history entry, so Back undoes it.
import {
  matchesFilters,
  prepareRows,
  readFilterRow,
  type FilterRow,
  type FindingFilters,
} from './finding-rows.ts';

const SORT_PARAMS = ['sort', 'dir'] as const;

class DpFindings extends HTMLElement {
  private form: HTMLFormElement | null = null;
  private counter: HTMLElement | null = null;
  private rows: FilterRow[] | null = null;
  private total = 0;
  private sortKey: string | undefined;
  private sortDir: 'asc' | 'desc' = 'asc';
  /** The query string last written: typing in the search box replaces it, other changes push. */
  private typing = false;

  connectedCallback(): void {
    this.form = this.querySelector('form[data-filters]');
    this.counter = this.querySelector('[data-count]');
    this.total = Number(this.dataset.total ?? '0');
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]'))
      button.addEventListener('click', () => this.sortBy(button));
    if (!this.form) return;
    this.form.hidden = false;
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.form.addEventListener('input', (event) => {
      const searching = (event.target as HTMLInputElement | null)?.name === 'q';
      this.update(searching && this.typing ? 'replace' : 'push');
      this.typing = searching;
    });
    this.form.addEventListener('reset', () => setTimeout(() => this.update('push'), 0));
    window.addEventListener('popstate', () => {
      this.readUrl();
      this.update('none');
    });
    // Nothing asked for on load: the server-rendered list stays as it is; its rows are read in
    // idle time, ready for the first filter.
    if (this.readUrl()) this.update('none');
    prepareRows(() => this.readRows());
  }

  /** The rows, read from their attributes once. */
  private readRows(): FilterRow[] {
    this.rows ??= [...this.querySelectorAll<HTMLTableRowElement>('tr[data-f]')].map(readFilterRow);
    return this.rows;
  }

  /** Restore filters and sort from the query; says whether anything was asked for. */
  private readUrl(): boolean {
    const params = new URLSearchParams(location.search);
    let any = false;
    for (const field of this.form!.elements as unknown as Iterable<HTMLInputElement>) {
      if (!field.name) continue;
      const value = params.get(field.name);
      if (value !== null) any = true;
      if (field.type === 'checkbox') field.checked = value === '1';
      else field.value = value ?? '';
    }
    this.sortKey = params.get('sort') || undefined;
    this.sortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
    return any || Boolean(this.sortKey);
  }

  private filters(): FindingFilters {
    const data = new FormData(this.form!);
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    return {
      // One letter matches nearly every row: the search starts at two (as the home page's does).
      q: text('q').trim().length >= 2 ? text('q').trim().toLowerCase() : '',
      sev: text('sev'),
      kev: text('kev') === '1',
      epss: text('epss') === '' ? null : Number(text('epss')),
      fixable: text('fixable') === '1',
      acc: text('acc'),
      fixfirst: text('fixfirst') === '1',
    };
  }

  private sortBy(button: HTMLButtonElement): void {
    const same = this.sortKey === button.dataset.sort;
    this.sortKey = button.dataset.sort;
    this.sortDir =
      same && this.sortDir === 'asc'
        ? 'desc'
        : button.dataset.sortDefault === 'desc'
          ? 'desc'
          : 'asc';
    this.update('push');
  }

  private update(history: 'push' | 'replace' | 'none'): void {
    const rows = this.readRows();
    const f = this.form ? this.filters() : undefined;
    let shown = 0;
    let unscored = 0;
    for (const row of rows) {
      const visible = !f || matchesFilters(row, f);
      if (row.el.hidden === visible) row.el.hidden = !visible;
      if (visible) shown += 1;
      else if (f && f.epss !== null && row.epss < 0 && matchesFilters(row, { ...f, epss: null }))
        unscored += 1;
    }
    this.arrange();
    if (this.counter) {
      const all = this.total || rows.length;
      this.counter.hidden = false;
      this.counter.textContent =
        `${shown.toLocaleString('en')} of ${all.toLocaleString('en')} ${this.dataset.noun ?? 'shown'}` +
        (all > rows.length
          ? ` (the ${rows.length.toLocaleString('en')} listed here are filtered)`
          : '') +
        (unscored ? `; ${unscored.toLocaleString('en')} with no EPSS score could also match` : '');
    }
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      const active = button.dataset.sort === this.sortKey;
      button
        .closest('th')
        ?.setAttribute(
          'aria-sort',
          active ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none',
        );
    }
    if (history !== 'none') this.writeUrl(history);
  }

  /** Rows in the column's order, or back in the order the page gave. */
  private arrange(): void {
    const rows = this.readRows();
    const key = this.sortKey && `sort${this.sortKey[0]!.toUpperCase()}${this.sortKey.slice(1)}`;
    const sign = this.sortDir === 'desc' ? -1 : 1;
    const sorted = key
      ? [...rows].sort(
          (a, b) => sign * compareValues(a.el.dataset[key], b.el.dataset[key]) || a.order - b.order,
        )
      : rows;
    // Appending moves a row: only when the order changes, and by table body.
    const body = rows[0]?.el.parentElement;
    if (!body) return;
    const current = body.children;
    if (sorted.every((row, i) => current[i] === row.el)) return;
    body.append(...sorted.map((row) => row.el));
  }

  private writeUrl(mode: 'push' | 'replace'): void {
    const params = new URLSearchParams(location.search);
    for (const field of this.form?.elements ?? []) {
      const input = field as HTMLInputElement;
      if (!input.name) continue;
      const value = input.type === 'checkbox' ? (input.checked ? '1' : '') : input.value.trim();
      if (value) params.set(input.name, value);
      else params.delete(input.name);
    }
    for (const p of SORT_PARAMS) params.delete(p);
    if (this.sortKey) {
      params.set('sort', this.sortKey);
      params.set('dir', this.sortDir);
    }
    const query = params.toString();
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (mode === 'push') history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
}

/** Numbers numerically, text by locale; a missing value sorts as the lowest. */
function compareValues(x: string | undefined, y: string | undefined): number {
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
  const nx = Number(x);
  const ny = Number(y);
  return x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)
    ? nx - ny
    : x.localeCompare(y);
}

/** Register <dp-findings>. */
export function defineFindings(): void {
  if (!customElements.get('dp-findings')) customElements.define('dp-findings', DpFindings);
}
