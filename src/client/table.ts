// <dp-table>: search, filters, views, column sort and pages over the containers table. On the home
// page every row comes as data (assets/containers.js) and only a page of rows is in the document;
// on a snapshot page every row is. Without JS the server-rendered rows and page links stay. The
// state lives in the URL query: a view can be bookmarked, and Back undoes a filter.
import { describeDoubt, describeHost, judge, verdicts, type Filters } from './filters.ts';
import { arrangeRows, renderPager, renderRows, type View } from './render.ts';
import { prepareSearchText, readTable, type Row, type TableRows } from './rows.ts';
import { TableSearch } from './table-search.ts';
import { readQuery, rememberQuery, writeQuery, type HistoryMode } from './table-url.ts';

export class DpTable extends HTMLElement {
  private form: HTMLFormElement | null = null;
  private table: TableRows = { rows: [], heads: [], pageSize: Infinity, firstPage: 1 };
  private byId = new Map<string, Row>();
  private page = 1;
  private sortKey: string | undefined;
  private sortDir: 'asc' | 'desc' = 'asc';
  private collapsed = new Set<number>();
  private ordered = new Map<View, Row[]>();
  private readonly search = new TableSearch(() => this.update('none'));
  private typing = false;
  private printing = false;

  connectedCallback(): void {
    this.form = this.querySelector('form[data-filters]');
    const table = readTable(this);
    if (!table) return;
    this.table = table;
    this.page = table.firstPage;
    for (const row of table.rows) this.byId.set(row.id, row);
    this.addEventListener('click', (event) => this.onClick(event));
    if (!this.form) {
      if (location.search) this.update('none');
      return;
    }
    // Ready the search before the first keystroke: the index once the box is focused.
    prepareSearchText(table.rows);
    const box = this.form.elements.namedItem('q');
    if (box instanceof HTMLInputElement) {
      box.addEventListener('focus', () => void this.search.load(), { once: true });
      box.addEventListener('blur', () => (this.typing = false));
    }
    this.form.addEventListener('input', (event) => {
      // Typing in the box is one history entry, a change of any other field one each.
      const inBox = (event.target as HTMLInputElement).name === 'q';
      const mode: HistoryMode = inBox && this.typing ? 'replace' : 'push';
      this.typing = inBox;
      this.page = 1;
      this.update(mode);
    });
    this.form.addEventListener('submit', (event) => event.preventDefault());
    this.form.addEventListener('reset', () => setTimeout(() => this.update('push'), 0));
    window.addEventListener('popstate', () => {
      this.readUrl();
      this.update('none');
    });
    const print = matchMedia('print');
    print.addEventListener('change', () => this.setPrinting(print.matches));
    window.addEventListener('beforeprint', () => this.setPrinting(true));
    window.addEventListener('afterprint', () => this.setPrinting(false));
    // The home page's table as this tab leaves it: where an image page's back link returns.
    if (this.dataset.rowsSrc !== undefined) window.addEventListener('pagehide', rememberQuery);
    this.form.hidden = false;
    // A paged table draws its own pager; else, with nothing to filter, the rows stay as they are.
    if (this.readUrl() || table.pageSize !== Infinity) this.update('none');
    if (location.hash) this.reveal(location.hash.slice(1), 'replace');
    this.dataset.ready = '';
  }

  private onClick(event: Event): void {
    const target = event.target as Element;
    const sort = target.closest<HTMLButtonElement>('button[data-sort]');
    const collapse = target.closest<HTMLButtonElement>('button[data-collapse]');
    const pager = target.closest<HTMLButtonElement>('button[data-page-to]');
    if (sort) {
      const same = this.sortKey === sort.dataset.sort;
      const byDefault = sort.dataset.sortDefault === 'desc' ? 'desc' : 'asc';
      this.sortKey = sort.dataset.sort;
      this.sortDir = same && this.sortDir === 'asc' ? 'desc' : byDefault;
      this.update('push');
    } else if (collapse) {
      const body = collapse.closest('tbody')!;
      const group = Number(body.dataset.groupIndex);
      const collapsed = body.classList.toggle('collapsed');
      if (collapsed) this.collapsed.add(group);
      else this.collapsed.delete(group);
      collapse.setAttribute('aria-expanded', String(!collapsed));
    } else if (pager) {
      this.page = Number(pager.dataset.pageTo);
      this.update('push');
      this.querySelector('table')?.scrollIntoView();
    }
  }

  /** Set one filter from outside (a summary card) and apply it. */
  setFilter(name: string, value: string): void {
    const field = this.form?.elements.namedItem(name) as HTMLSelectElement | null;
    if (!field) return;
    field.value = value;
    this.page = 1;
    this.update('push');
  }

  /**
   * Show the row `id` (a "Fix first" link to it): clear the filters that hide it, turn to its page,
   * and bring it into view. False when there is no such row.
   */
  reveal(id: string, mode: HistoryMode = 'push'): boolean {
    const row = this.byId.get(id);
    if (!row || !this.form) return false;
    const f = this.filters();
    for (const [name, verdict] of verdicts(row, f, this.query(f), this.search.hit)) {
      if (verdict === 'match') continue;
      const field = this.form.elements.namedItem(name) as HTMLInputElement | null;
      if (field?.type === 'checkbox') field.checked = false;
      else if (field) field.value = '';
    }
    this.collapsed.delete(row.group);
    const at = this.arranged(this.filters()).kept.indexOf(row);
    if (at >= 0 && this.table.pageSize !== Infinity)
      this.page = Math.floor(at / this.table.pageSize) + 1;
    this.update(mode, `#${id}`);
    row.el?.setAttribute('tabindex', '-1');
    row.el?.scrollIntoView({ block: 'center' });
    row.el?.focus({ preventScroll: true });
    return true;
  }

  private filters(): Filters {
    if (!this.form) return {};
    const data = new FormData(this.form);
    return Object.fromEntries(
      [...data.entries()].flatMap(([k, v]) => (typeof v === 'string' && v !== '' ? [[k, v]] : [])),
    );
  }

  private query(f: Filters): string {
    return (f.q ?? '').trim().toLowerCase();
  }

  private view(f: Filters): View {
    const view = f.view || this.dataset.defaultView;
    return view === 'worst' || view === 'attention' ? view : 'grouped';
  }

  /** The rows the filters keep, in order, and those they cannot judge: one verdict per row. */
  private arranged(f: Filters): { kept: Row[]; doubtful: Row[] } {
    const q = this.query(f);
    this.search.lookUp(q, this.querySelector<HTMLElement>('[data-search-note]'));
    const kept: Row[] = [];
    const doubtful: Row[] = [];
    const view = this.view(f);
    // In the view's order already (sorted once per view): a keystroke filters, it does not sort.
    for (const row of this.inOrder(view)) {
      const verdict = judge(row, f, q, this.search.hit);
      if (verdict === 'match') kept.push(row);
      else if (verdict === 'unknown') doubtful.push(row);
    }
    return {
      kept: this.sortKey ? arrangeRows(kept, view, this.sortKey, this.sortDir) : kept,
      doubtful,
    };
  }

  /** Every row in a view's order, sorted on first use. */
  private inOrder(view: View): Row[] {
    let rows = this.ordered.get(view);
    if (!rows) {
      rows = arrangeRows([...this.table.rows], view, undefined, 'asc');
      this.ordered.set(view, rows);
    }
    return rows;
  }

  private update(mode: HistoryMode, hash = location.hash): void {
    if (this.printing) return;
    const f = this.filters();
    const { kept, doubtful } = this.arranged(f);
    const { pageSize, heads, rows } = this.table;
    const pages = Math.max(1, Math.ceil(kept.length / pageSize));
    this.page = Math.min(Math.max(1, this.page), pages);
    const start = pageSize === Infinity ? 0 : (this.page - 1) * pageSize;
    const shown = kept.slice(start, start + pageSize);
    const grouped = this.view(f) === 'grouped';
    renderRows(this, shown, { grouped, heads, collapsed: this.collapsed });
    const counter = this.querySelector('[data-count]');
    if (counter) counter.textContent = `${kept.length} of ${rows.length} shown`;
    const truth = this.querySelector<HTMLElement>('[data-truth-note]');
    if (truth) {
      const host = this.form?.elements.namedItem('host') as HTMLSelectElement | null;
      truth.textContent = [describeHost(f.host ? host : null), describeDoubt(doubtful)]
        .filter(Boolean)
        .join(' ');
      truth.hidden = truth.textContent === '';
    }
    const pager = this.querySelector<HTMLElement>('[data-pager]');
    if (pager)
      renderPager(pager, {
        start,
        shown: shown.length,
        total: kept.length,
        page: this.page,
        pages,
      });
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      const active = button.dataset.sort === this.sortKey;
      const sort = this.sortDir === 'asc' ? 'ascending' : 'descending';
      button.closest('th')?.setAttribute('aria-sort', active ? sort : 'none');
    }
    const page = this.page === this.table.firstPage ? undefined : this.page;
    writeQuery(f, { sortKey: this.sortKey, sortDir: this.sortDir, page }, mode, hash);
  }

  /** Restore filters, view, sort and page from the query; says whether it held any. */
  private readUrl(): boolean {
    const state = readQuery(this.form!, this.table.firstPage);
    this.sortKey = state.sortKey;
    this.sortDir = state.sortDir;
    this.page = state.page ?? this.table.firstPage;
    return state.any;
  }

  /** Paper gets every row, grouped, whatever the screen's filters and page. */
  private setPrinting(on: boolean): void {
    if (on === this.printing) return;
    this.printing = on;
    if (!on) return this.update('none');
    renderRows(this, this.inOrder('grouped'), {
      grouped: true,
      heads: this.table.heads,
      collapsed: new Set(),
    });
  }
}
