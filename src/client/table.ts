// <dp-table>: search, filters, views, column sort and pages over the containers table. On the home
// page every row comes as data (assets/containers.js) and only a page of rows is in the document;
// on a snapshot page every row is. Without JS the server-rendered rows and page links stay. The
// state lives in the URL query: a view can be bookmarked, and Back undoes a filter.
import { describeDoubt, describeHost, judge, verdicts, type Filters } from './filters.ts';
import { arrangeRows, renderPager, renderRows, type View } from './render.ts';
import { prepareSearchText, rowsFromData, rowsFromDom, type Row } from './rows.ts';
import { describeHit, loadIndex, loadedIndex, lookUp, type SearchHit } from './search.ts';
import { rememberQuery, writeQuery, type HistoryMode } from './table-url.ts';

/** Run `work` after the next frame is painted. */
function afterPaint(work: () => void): void {
  requestAnimationFrame(() => setTimeout(work, 0));
}

/** Where the client script was loaded from: the search index sits beside it. */
const SCRIPT_SRC = (document.currentScript as HTMLScriptElement | null)?.src ?? '';

export class DpTable extends HTMLElement {
  private form: HTMLFormElement | null = null;
  private rows: Row[] = [];
  private byId = new Map<string, Row>();
  private groupHeads: Array<string | HTMLTableRowElement> = [];
  private pageSize = Infinity;
  private firstPage = 1;
  private page = 1;
  private sortKey: string | undefined;
  private sortDir: 'asc' | 'desc' = 'asc';
  private collapsed = new Set<number>();
  private hit: SearchHit | undefined;
  private hitFor = '';
  private typing = false;
  private printing = false;

  connectedCallback(): void {
    this.form = this.querySelector('form[data-filters]');
    if (!this.readRows()) return;
    for (const row of this.rows) this.byId.set(row.id, row);
    this.addEventListener('click', (event) => this.onClick(event));
    if (!this.form) {
      if (location.search) this.update('none');
      return;
    }
    // Ready the search before the first keystroke: the index once the box is focused.
    prepareSearchText(this.rows);
    const box = this.form.elements.namedItem('q');
    if (box instanceof HTMLInputElement) {
      box.addEventListener('focus', () => void this.loadSearchIndex(), { once: true });
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
    this.form.hidden = false;
    const restored = this.readUrl();
    // Nothing to filter on load: the server-rendered rows are the first page as it would be.
    if (restored || this.pageSize !== Infinity) this.update('none');
    if (location.hash) this.reveal(location.hash.slice(1), 'replace');
    this.dataset.ready = '';
  }

  /** The rows as data (home page) or from the page (snapshot pages); false when data is missing. */
  private readRows(): boolean {
    if (this.dataset.rowsSrc !== undefined) {
      const data = window.dockpeekRows;
      // Without the data script the server-rendered page and its links are the table.
      if (!data) return false;
      this.rows = rowsFromData(data);
      this.groupHeads = data.groups;
      this.pageSize = Number(this.dataset.pageSize) || 50;
      this.firstPage = this.page = Number(this.dataset.page) || 1;
      const byId = new Map(this.rows.map((r) => [r.id, r]));
      for (const el of this.querySelectorAll<HTMLTableRowElement>('tr[data-row]')) {
        const row = byId.get(el.id);
        if (row) row.el = el;
      }
    } else {
      this.rows = rowsFromDom(this);
      this.groupHeads = [...this.querySelectorAll<HTMLTableRowElement>('tbody > tr.group')];
    }
    return true;
  }

  private onClick(event: Event): void {
    const target = event.target as Element;
    const sort = target.closest<HTMLButtonElement>('button[data-sort]');
    const collapse = target.closest<HTMLButtonElement>('button[data-collapse]');
    const pager = target.closest<HTMLButtonElement>('button[data-page-to]');
    if (sort) {
      const same = this.sortKey === sort.dataset.sort;
      this.sortKey = sort.dataset.sort;
      this.sortDir =
        same && this.sortDir === 'asc'
          ? 'desc'
          : sort.dataset.sortDefault === 'desc'
            ? 'desc'
            : 'asc';
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
    for (const [name, verdict] of verdicts(row, f, this.query(f), this.hit)) {
      if (verdict === 'match') continue;
      const field = this.form.elements.namedItem(name) as HTMLInputElement | null;
      if (field?.type === 'checkbox') field.checked = false;
      else if (field) field.value = '';
    }
    this.collapsed.delete(row.group);
    const at = this.visibleOrder(this.filters()).indexOf(row);
    if (at >= 0 && this.pageSize !== Infinity) this.page = Math.floor(at / this.pageSize) + 1;
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

  /** The rows the filters keep, in the view's order and the column sort. */
  private visibleOrder(f: Filters): Row[] {
    const q = this.query(f);
    const kept = this.rows.filter((row) => judge(row, f, q, this.hit) === 'match');
    return arrangeRows(kept, this.view(f), this.sortKey, this.sortDir);
  }

  private update(mode: HistoryMode, hash = location.hash): void {
    if (this.printing) return;
    const f = this.filters();
    const q = this.query(f);
    this.searchIndex(q);
    // One verdict per row: kept, or in doubt (its findings are unknown).
    const kept: Row[] = [];
    const doubtful: Row[] = [];
    for (const row of this.rows) {
      const verdict = judge(row, f, q, this.hit);
      if (verdict === 'match') kept.push(row);
      else if (verdict === 'unknown') doubtful.push(row);
    }
    const ordered = arrangeRows(kept, this.view(f), this.sortKey, this.sortDir);
    const pages = Math.max(1, Math.ceil(ordered.length / this.pageSize));
    this.page = Math.min(Math.max(1, this.page), pages);
    const start = this.pageSize === Infinity ? 0 : (this.page - 1) * this.pageSize;
    const shown = ordered.slice(start, start + this.pageSize);
    const grouped = this.view(f) === 'grouped';
    renderRows(this, shown, { grouped, heads: this.groupHeads, collapsed: this.collapsed });
    const counter = this.querySelector('[data-count]');
    if (counter) counter.textContent = `${ordered.length} of ${this.rows.length} shown`;
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
        total: ordered.length,
        page: this.page,
        pages,
      });
    for (const button of this.querySelectorAll<HTMLButtonElement>('button[data-sort]')) {
      const active = button.dataset.sort === this.sortKey;
      const sort = this.sortDir === 'asc' ? 'ascending' : 'descending';
      button.closest('th')?.setAttribute('aria-sort', active ? sort : 'none');
    }
    const page = this.page === this.firstPage ? undefined : this.page;
    const remember = this.dataset.rowsSrc !== undefined;
    const write = () => {
      writeQuery(f, { sortKey: this.sortKey, sortDir: this.sortDir, page }, mode, hash);
      if (remember) rememberQuery();
    };
    // While typing, the URL (not on screen) is amended once the frame is painted: a history call
    // costs a slow phone ~20 ms a keystroke. A new entry is written at once.
    if (mode === 'replace') afterPaint(write);
    else write();
  }

  /** Restore filters, view, sort and page from the query; says whether anything was restored. */
  private readUrl(): boolean {
    const params = new URLSearchParams(location.search);
    let any = false;
    for (const field of this.form!.elements as unknown as Iterable<HTMLInputElement>) {
      if (!field.name) continue;
      any ||= params.has(field.name);
      if (field.type === 'checkbox') field.checked = params.get(field.name) === '1';
      else field.value = params.get(field.name) ?? '';
    }
    this.sortKey = params.get('sort') || undefined;
    this.sortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
    this.page = Number(params.get('page')) || this.firstPage;
    return any || Boolean(this.sortKey) || params.has('page');
  }

  /** Paper gets every row, grouped, whatever the screen's filters and page. */
  private setPrinting(on: boolean): void {
    if (on === this.printing) return;
    this.printing = on;
    if (on) {
      const all = arrangeRows([...this.rows], 'grouped', undefined, 'asc');
      renderRows(this, all, { grouped: true, heads: this.groupHeads, collapsed: new Set() });
    } else this.update('none');
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
          this.update('none');
        });
    }
    const note = this.querySelector<HTMLElement>('[data-search-note]');
    if (note) describeHit(note, this.hit, q, SCRIPT_SRC);
  }

  private loadSearchIndex() {
    return SCRIPT_SRC
      ? loadIndex(new URL('search-index.js', SCRIPT_SRC).href)
      : Promise.resolve(undefined);
  }
}

/**
 * Register <dp-table>; let summary cards filter the table by their severity, and links to a row
 * (Fix first) show it even when a filter or another page hides it.
 */
export function defineTable(): void {
  if (!customElements.get('dp-table')) customElements.define('dp-table', DpTable);
  document.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    const table = document.querySelector<DpTable>('dp-table#containers');
    if (!table || !target?.closest) return;
    const card = target.closest<HTMLAnchorElement>('a[data-filter-sev]');
    if (card) {
      event.preventDefault();
      table.setFilter('sev', card.dataset.filterSev ?? '');
      table.scrollIntoView();
      return;
    }
    const link = target.closest<HTMLAnchorElement>('a[href^="#c-"]');
    if (link && table.reveal(link.getAttribute('href')!.slice(1))) event.preventDefault();
  });
}
