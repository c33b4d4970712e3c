import type { ContainerRow, RowGroup, Table } from './schema/containers.ts';

/** Group rows by host (snapshot order) and stack (alphabetical, no stack last). */
export function buildTable(rows: ContainerRow[], hostOrder: string[]): Table {
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const id = `${row.host}\u0000${row.stack ?? ''}`;
    if (!groups.has(id)) groups.set(id, { host: row.host, stack: row.stack, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  const hostRank = (h: string) => (hostOrder.includes(h) ? hostOrder.indexOf(h) : hostOrder.length);
  const sorted = [...groups.values()]
    .map((g) => ({ ...g, rows: orderByAnchor(g.rows) }))
    .sort(
      (a, b) =>
        hostRank(a.host) - hostRank(b.host) ||
        Number(a.stack === null) - Number(b.stack === null) ||
        (a.stack ?? '').localeCompare(b.stack ?? ''),
    );
  const stacks = [...new Set(rows.map((r) => r.stack))].sort(
    (a, b) => Number(a === null) - Number(b === null) || (a ?? '').localeCompare(b ?? ''),
  );
  return { groups: sorted, hosts: hostOrder, stacks, total: rows.length };
}

/** Alphabetical, except that each dependent follows its anchor (depth-first) in the group. */
function orderByAnchor(rows: ContainerRow[]): ContainerRow[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name));
  const placed = new Set<string>();
  const out: ContainerRow[] = [];
  const place = (row: ContainerRow) => {
    if (placed.has(row.name)) return;
    placed.add(row.name);
    out.push(row);
    for (const dep of sorted) if (dep.anchor?.name === row.name) place(dep);
  };
  // Roots: no anchor here, or an anchor outside this group (cycles fall back to the alphabet).
  for (const row of sorted) if (!row.anchor || !byName.has(row.anchor.name)) place(row);
  for (const row of sorted) place(row);
  return out;
}
