// <dp-table>: search, filters, views and column sort over a fully server-rendered table. Without
// JS the whole table simply stays visible. Filter, view and sort state live in the URL query, so
// a filtered view can be bookmarked or shared.
import { prepareSearchText, readRows, searchText, sortRows, type Row } from './rows.ts';
import { describeHit, loadIndex, loadedIndex, lookUp, type SearchHit } from './search.ts';

type Filters = Record<string, string>;

/** Where the client script was loaded from: the search index sits beside it. */
const SCRIPT_SRC = (document.currentScript as HTMLScriptElement | null)?.src ?? '';

class DpTable extends HTMLElement {
  private form: HTMLFormElement | null = null;
  private rows: Row[] = [];
  private counter: HTMLElement | null = null;
  private note: HTMLElement | null = null;
  private flat: HTMLTableSectionElement | null = null;
  private sortKey: string | undefined;
  private sortDir: 'asc' | 'desc' = 'asc';
  private hit: SearchHit | undefined;
  private hitFor = '';

  connectedCallback(): void {
    this.form = this.querySelector('form[data-filters]');
    this.counter = this.querySelector('[data-count]');
    this.note = this.querySelector('[data-search-note]');
    this.rows = readRows(this);
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-collapse]')) {
      button.addEventListener('click', () => {
        const body = button.closest('tbody')!;
        const collapsed = body.classList.toggle('collapsed');
        button.setAttribute('aria-expanded', String(!collapsed));
      });
    }
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      button.addEventListener('click', () => {
        const same = this.sortKey === button.dataset.sort;
        this.sortKey = button.dataset.sort;
        this.sortDir =
          same && this.sortDir === 'asc'
            ? 'desc'
            : button.dataset.sortDefault === 'desc'
              ? 'desc'
              : 'asc';
        this.update();
      });
    }
    if (!this.form) {
      if (location.search) this.update();
      return;
    }
    this.form.hidden = false;
    // Ready the search before the first keystroke: each row's text in idle time, and the index
    // once the box is focused. A query of two letters or more is then looked up as it is typed,
    // and the rows are filtered once per key instead of by text first and by index a moment later.
    prepareSearchText(this.rows);
    const box = this.form.elements.namedItem('q');
    if (box instanceof HTMLInputElement)
      box.addEventListener('focus', () => void this.loadSearchIndex(), { once: true });
    const restored = this.readUrl();
    this.form.addEventListener('input', () => this.update());
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.form.addEventListener('reset', () => setTimeout(() => this.update(), 0));
    // Nothing to filter on load: leave the server-rendered table as it is (fast on 1,000 rows).
    if (restored) this.update();
  }

  /** Set one filter from outside (a summary card) and apply it. */
  setFilter(name: string, value: string): void {
    const field = this.form?.elements.namedItem(name) as HTMLSelectElement | null;
    if (!field) return;
    field.value = value;
    this.update();
  }

  /** Restore filters, view and sort from the query; says whether anything was restored. */
  private readUrl(): boolean {
    const params = new URLSearchParams(location.search);
    let any = false;
    for (const field of this.form!.elements as unknown as Iterable<HTMLInputElement>) {
      if (!field.name || !params.has(field.name)) continue;
      any = true;
      if (field.type === 'checkbox') field.checked = params.get(field.name) === '1';
      else field.value = params.get(field.name) ?? '';
    }
    this.sortKey = params.get('sort') || undefined;
    this.sortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
    return any || Boolean(this.sortKey);
  }

  private filters(): Filters {
    if (!this.form) return {};
    const data = new FormData(this.form);
    return Object.fromEntries(
      [...data.entries()].flatMap(([k, v]) => (typeof v === 'string' && v !== '' ? [[k, v]] : [])),
    );
  }

  private rowMatches(row: Row, f: Filters, q: string): boolean {
    if (q && !searchText(row).includes(q) && !this.hit?.images.has(row.image)) return false;
    if (f.host && row.host !== f.host) return false;
    if (f.stack && row.stack !== f.stack) return false;
    if (f.sev && !row.severities.includes(f.sev)) return false;
    if (f.state && row.state !== f.state) return false;
    if (f.fixable && !row.fixable) return false;
    if (f.kev && !row.kev) return false;
    if (f.epss && row.epss < Number(f.epss)) return false;
    return true;
  }

  private update(): void {
    const f = this.filters();
    const q = (f.q ?? '').trim().toLowerCase();
    this.searchIndex(q);
    let shown = 0;
    for (const row of this.rows) {
      const visible = this.rowMatches(row, f, q);
      if (row.el.hidden === visible) row.el.hidden = !visible;
      if (visible) shown += 1;
    }
    this.arrange(f.view === 'worst' || f.view === 'attention' ? f.view : null);
    for (const body of this.querySelectorAll<HTMLTableSectionElement>('tbody')) {
      const any = [...body.children].some(
        (r) => (r as HTMLElement).dataset.row !== undefined && !(r as HTMLElement).hidden,
      );
      if (body.hidden === any) body.hidden = !any;
    }
    if (this.counter) this.counter.textContent = `${shown} of ${this.rows.length} shown`;
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      const active = button.dataset.sort === this.sortKey;
      button
        .closest('th')
        ?.setAttribute(
          'aria-sort',
          active ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none',
        );
    }
    this.writeUrl(f);
  }

  /**
   * Look the query up in the search index. Loaded, it answers at once; still loading (a key typed
   * before the box's focus loaded it), the rows are filtered again when it arrives.
   */
  private searchIndex(q: string): void {
    if (q === this.hitFor) return;
    this.hitFor = q;
    this.hit = undefined;
    if (q.length >= 2 && SCRIPT_SRC) {
      const index = loadedIndex();
      if (index) this.hit = lookUp(index, q);
      else
        void this.loadSearchIndex().then((loaded) => {
          if (!loaded || this.hitFor !== q || !lookUp(loaded, q)) return;
          this.hitFor = '';
          this.update();
        });
    }
    if (this.note) describeHit(this.note, this.hit, q, SCRIPT_SRC);
  }

  private loadSearchIndex() {
    return SCRIPT_SRC
      ? loadIndex(new URL('search-index.js', SCRIPT_SRC).href)
      : Promise.resolve(undefined);
  }

  /**
   * Grouped (rows in their groups) or flat: one list, worst first, or by "needs attention" tier
   * then worst first (docs/dashboard.md#needs-attention); then the column sort.
   */
  private arrange(order: 'worst' | 'attention' | null): void {
    const flat = order !== null;
    const table = this.querySelector('table');
    if (!table) return;
    table.classList.toggle('flat', flat);
    let rows = [...this.rows];
    if (flat) {
      if (!this.flat) {
        this.flat = document.createElement('tbody');
        this.flat.dataset.flat = '';
        table.append(this.flat);
      }
      const weight = (r: Row) => Number(r.el.dataset.sortSeverity);
      const tier = (r: Row) => (order === 'attention' ? Number(r.el.dataset.attention) : 0);
      rows.sort((a, b) => tier(b) - tier(a) || weight(b) - weight(a) || a.order - b.order);
    } else if (this.flat) {
      for (const row of this.rows) row.home.append(row.el);
      this.flat.remove();
      this.flat = null;
    }
    if (this.sortKey) rows = sortRows(rows, this.sortKey, this.sortDir);
    if (flat || this.sortKey) {
      for (const row of rows) (flat ? this.flat! : row.home).append(row.el);
    }
  }

  private writeUrl(f: Filters): void {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) params.set(k, k === 'fixable' ? '1' : v);
    if (this.sortKey) {
      params.set('sort', this.sortKey);
      params.set('dir', this.sortDir);
    }
    const query = params.toString();
    const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`)
      history.replaceState(null, '', url);
  }
}

/** Register <dp-table>, and let summary cards filter the table by their severity. */
export function defineTable(): void {
  if (!customElements.get('dp-table')) customElements.define('dp-table', DpTable);
  document.addEventListener('click', (event) => {
    const card = (event.target as Element | null)?.closest?.<HTMLAnchorElement>(
      'a[data-filter-sev]',
    );
    const table = document.querySelector<DpTable>('dp-table#containers');
    if (!card || !table) return;
    event.preventDefault();
    table.setFilter('sev', card.dataset.filterSev ?? '');
    table.scrollIntoView();
  });
}
