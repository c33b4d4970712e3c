// The home page's containers table in pages: every row in the "needs attention" order
// (docs/dashboard.md#needs-attention), a page of rows server-rendered on the home page and each
// further page as its own static page (containers-2.html, …), so the table works without
// JavaScript and the home page stays small at 1,000 containers.
import type { ContainerRow, Table } from '../../pipeline/site/model/index.ts';

/** A row with its place in the grouped table (by host and stack). */
export interface PlacedRow {
  row: ContainerRow;
  /** Index of its group in `table.groups`. */
  group: number;
  /** Position in the grouped table: the tie-break of every other order. */
  order: number;
  /** Its stack is shown on the row (it differs from its group's). */
  showStack: boolean;
}

/** Every row in the grouped order, with its group. */
export function placedRows(table: Table): PlacedRow[] {
  const placed: PlacedRow[] = [];
  table.groups.forEach((group, index) => {
    for (const row of group.rows)
      placed.push({
        row,
        group: index,
        order: placed.length,
        showStack: group.kind === 'rest' || row.stack !== group.stack,
      });
  });
  return placed;
}

/**
 * The "needs attention" order: tier first (KEV, Fix first, critical with a fix, unknown, rest),
 * then the worst-first severity weight, then the grouped order. The client sorts the same way.
 */
export function attentionOrder(rows: PlacedRow[]): PlacedRow[] {
  return [...rows].sort(
    (a, b) => b.row.attention - a.row.attention || b.row.weight - a.row.weight || a.order - b.order,
  );
}

/** The rows of page `page` (1-based) of an ordered list, `size` to a page. */
export function pageRows<T>(ordered: T[], page: number, size: number): T[] {
  return ordered.slice((page - 1) * size, page * size);
}

/** The file of a page, relative to the site root: the first is the home page. */
export function pageFile(page: number): string {
  return page === 1 ? 'index.html#containers' : `containers-${page}.html#containers`;
}
