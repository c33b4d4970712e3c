// <dp-table>: search, filters and column sort over a fully server-rendered table. Without JS the
// whole table simply stays visible. Filter and sort state live in the URL query, so a filtered
// view can be bookmarked or shared.

type Filters = Record<string, string>;

class DpTable extends HTMLElement {
  private form: HTMLFormElement | null = null;
  private rows: HTMLTableRowElement[] = [];
  private counter: HTMLElement | null = null;
  private sortKey: string | undefined;
  private sortDir: 'asc' | 'desc' = 'asc';

  connectedCallback(): void {
    this.form = this.querySelector('form[data-filters]');
    this.rows = [...this.querySelectorAll<HTMLTableRowElement>('tbody tr[data-row]')];
    this.counter = this.querySelector('[data-count]');
    if (this.form) {
      this.form.hidden = false;
      this.readUrl();
      this.form.addEventListener('input', () => this.update());
      this.form.addEventListener('submit', (event) => event.preventDefault());
      this.form.addEventListener('reset', () => setTimeout(() => this.update(), 0));
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
    this.update();
  }

  /** Restore filters and sort from ?q=…&host=…&sort=…&dir=… */
  private readUrl(): void {
    const params = new URLSearchParams(location.search);
    for (const field of this.form!.elements as unknown as Iterable<HTMLInputElement>) {
      if (!field.name || !params.has(field.name)) continue;
      if (field.type === 'checkbox') field.checked = params.get(field.name) === '1';
      else field.value = params.get(field.name) ?? '';
    }
    this.sortKey = params.get('sort') || undefined;
    this.sortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  }

  private filters(): Filters {
    if (!this.form) return {};
    const data = new FormData(this.form);
    return Object.fromEntries(
      [...data.entries()].flatMap(([k, v]) => (typeof v === 'string' && v !== '' ? [[k, v]] : [])),
    );
  }

  private rowMatches(row: HTMLTableRowElement, f: Filters): boolean {
    const d = row.dataset;
    if (f.q && !(d.search ?? '').includes(f.q.trim().toLowerCase())) return false;
    if (f.host && d.host !== f.host) return false;
    if (f.stack && d.stack !== f.stack) return false;
    if (f.sev && !(d.severities ?? '').split(' ').includes(f.sev)) return false;
    if (f.state && d.state !== f.state) return false;
    if (f.fixable && d.fixable !== 'true') return false;
    return true;
  }

  private update(): void {
    const f = this.filters();
    let shown = 0;
    for (const row of this.rows) {
      const visible = this.rowMatches(row, f);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const body of this.querySelectorAll('tbody')) {
      body.hidden = ![...body.querySelectorAll<HTMLElement>('tr[data-row]')].some((r) => !r.hidden);
    }
    if (this.sortKey) this.sort(this.sortKey);
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

  /** Sort rows inside each group (tbody); numbers numerically, text by locale. */
  private sort(sortKey: string): void {
    const key = `sort${sortKey[0]!.toUpperCase()}${sortKey.slice(1)}`;
    const sign = this.sortDir === 'desc' ? -1 : 1;
    for (const body of this.querySelectorAll('tbody')) {
      const rows = [...body.querySelectorAll<HTMLTableRowElement>('tr[data-row]')];
      rows.sort((a, b) => {
        const x = a.dataset[key] ?? '';
        const y = b.dataset[key] ?? '';
        const nx = Number(x);
        const ny = Number(y);
        const cmp =
          x !== '' && y !== '' && !Number.isNaN(nx) && !Number.isNaN(ny)
            ? nx - ny
            : x.localeCompare(y);
        return sign * cmp || (a.dataset.sortName ?? '').localeCompare(b.dataset.sortName ?? '');
      });
      for (const row of rows) body.append(row);
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

/** Register <dp-table>. */
export function defineTable(): void {
  if (!customElements.get('dp-table')) customElements.define('dp-table', DpTable);
}
