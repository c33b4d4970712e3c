import type { ContainerRow } from './container-rows.ts';

/** The filter's scan state of a row: a scanned image splits into clean and vulnerable. */
export function stateOf(row: ContainerRow): string {
  if (row.security.kind === 'scanned') return row.security.clean ? 'clean' : 'vulnerable';
  return row.security.kind;
}

/** Sort weight for the CVE column: critical outranks any number of highs, and so on. Failed sorts above clean. */
export function severityWeight(row: ContainerRow): number {
  const s = row.security;
  if (s.kind !== 'scanned') return s.kind === 'failed' ? 0.5 : -1;
  return s.counts.critical * 1e9 + s.counts.high * 1e6 + s.counts.medium * 1e3 + s.counts.low;
}
