// Every row of the home page's containers table as data for <dp-table> (assets/containers.js): what
// the filters, orders and truth notes need, and the row's markup, made here by the same code as the
// server-rendered rows (escaped: a hostile name stays text). A classic script, not JSON: pages
// opened from file:// may not fetch. Only the rows on screen become elements.
import type { Table } from '../../pipeline/site/model/index.ts';
import { containerRow, groupHeader } from './container-rows.ts';
import { placedRows } from './container-pages.ts';
import { stackKey, stateOf } from './rows.ts';
import type { SeverityColumn } from './table-cells.ts';

/** Where the page loads the rows from, relative to the site root. */
export const ROWS_SCRIPT = 'assets/containers.js';

/**
 * One row, as a list (1,000 of them: no repeated keys): markup, group index, id, host, stack key,
 * severities, fixable count (-1 unknown), scan state, image page slug, KEV (1/0), EPSS (-1 none),
 * attention tier, severity weight, and the sort texts: name, state, image; then the search text.
 */
export type RowTuple = [
  html: string,
  group: number,
  id: string,
  host: string,
  stack: string,
  severities: string,
  fixable: number,
  state: string,
  image: string,
  kev: number,
  epss: number,
  attention: number,
  weight: number,
  name: string,
  stateText: string,
  imageText: string,
  search: string,
];

/** What assets/containers.js assigns to window.dockpeekRows. */
export interface RowData {
  /** Group header rows' markup, by group index. */
  groups: string[];
  /** Every row, in the grouped order. */
  rows: RowTuple[];
}

/** The table's rows as data. */
export function rowData(table: Table, severities: SeverityColumn[]): RowData {
  return {
    groups: table.groups.map((g) => groupHeader(g).value),
    rows: placedRows(table).map(({ row, group, showStack }): RowTuple => {
      const fixable = row.security.state === 'scanned' ? row.security.fixable : -1;
      return [
        containerRow(row, { root: '', severities, showStack }).value,
        group,
        row.domId,
        row.host,
        stackKey(row.stack),
        row.severities.join(' '),
        fixable,
        stateOf(row.security),
        row.imageSlug ?? '',
        row.kev ? 1 : 0,
        row.epss === null ? -1 : Math.floor(row.epss * 1000) / 1000,
        row.attention,
        row.weight,
        row.name,
        row.state,
        row.image,
        row.search,
      ];
    }),
  };
}

/** The script that hands the rows to the page (JSON is a valid JS expression). */
export function rowScript(table: Table, severities: SeverityColumn[]): string {
  return `window.dockpeekRows=${JSON.stringify(rowData(table, severities))};\n`;
}
