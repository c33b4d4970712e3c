// The rows of a <dp-findings> list and the filters over them: what a row is read from (its data
// attributes, once, on the first filter), and whether it matches.
import { inIdleSlices } from './idle.ts';

/** What the filters need of a row. */
export interface FilterRow {
  el: HTMLTableRowElement;
  order: number;
  severity: string;
  kev: boolean;
  /** EPSS probability (data-sort-epss); -1 when not scored. */
  epss: number;
  fixable: boolean;
  /** Space-separated: "accepted" (some findings set apart), "expired" (an acceptance ran out); or "". */
  acc: string;
  fixFirst: boolean;
  /** The row's text and its hidden search terms, lower case; read on the first search. */
  text?: string;
}

/** The filters of the form, read once per change. */
export interface FindingFilters {
  q: string;
  sev: string;
  kev: boolean;
  epss: number | null;
  fixable: boolean;
  /** "", "none" (no acceptance at all), "accepted" or "expired". */
  acc: string;
  fixfirst: boolean;
}

/** A row as the filters see it, read from its data attributes. */
export function readFilterRow(el: HTMLTableRowElement, order: number): FilterRow {
  const d = el.dataset;
  return {
    el,
    order,
    severity: d.sev ?? '',
    kev: d.kev !== undefined,
    epss: d.sortEpss ? Number(d.sortEpss) : -1,
    fixable: d.fix !== undefined,
    acc: d.acc ?? '',
    fixFirst: d.ff !== undefined,
  };
}

/** The text a query is looked for in: the cells, and the terms no cell shows (aliases, source, PURL). */
export function rowText(row: FilterRow): string {
  row.text ??= `${row.el.textContent ?? ''} ${row.el.dataset.q ?? ''}`
    .replace(/\s+/g, ' ')
    .toLowerCase();
  return row.text;
}

/** Whether a row passes every filter. */
export function matchesFilters(row: FilterRow, f: FindingFilters): boolean {
  if (f.sev && row.severity !== f.sev) return false;
  if (f.kev && !row.kev) return false;
  if (f.epss !== null && row.epss < f.epss) return false;
  if (f.fixable && !row.fixable) return false;
  if (f.fixfirst && !row.fixFirst) return false;
  if (f.acc === 'none' && row.acc !== '') return false;
  if ((f.acc === 'accepted' || f.acc === 'expired') && !` ${row.acc} `.includes(` ${f.acc} `))
    return false;
  if (f.q.length > 0 && !rowText(row).includes(f.q)) return false;
  return true;
}

/**
 * Read every row and its search text in idle slices after the list upgrades, so that the first
 * filter or keystroke does not read 1,000 rows' cells. A filter used before it is done reads the
 * rest itself (rowText is lazy).
 */
export function prepareRows(rows: () => FilterRow[]): void {
  inIdleSlices(
    () => rows().length,
    (i) => rowText(rows()[i]!),
  );
}
