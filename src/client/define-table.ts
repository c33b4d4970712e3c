// Register <dp-table>, and the links elsewhere on the page that drive it.
import { DpTable } from './table.ts';

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
