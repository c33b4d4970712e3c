import type { ContainerRow, RowGroup, Table } from './schema/containers.ts';

/**
 * Rows on a page of the home page's table at fleet scale: about a laptop screen's worth, which a
 * phone-class CPU lays out within a keystroke's frame (bench/results/browser.md). A table of up to
 * ONE_PAGE rows is one page: small enough to lay out whole.
 */
export const TABLE_PAGE_SIZE = 25;
export const ONE_PAGE = 60;

/**
 * Group rows by host (snapshot order), then by stack (alphabetical); a dependent joins its
 * anchor's group, and stacks of a single container share one "rest" group per host, so a fleet
 * of small stacks does not become a wall of group headers.
 */
export function buildTable(rows: ContainerRow[], hostOrder: string[]): Table {
  const hosts = [
    ...hostOrder,
    ...new Set(rows.map((r) => r.host).filter((h) => !hostOrder.includes(h))),
  ];
  const groups: RowGroup[] = [];
  for (const host of hosts) {
    const here = rows.filter((r) => r.host === host);
    const placed = placeUnderAnchors(here);
    const byStack = new Map<string | null, ContainerRow[]>();
    for (const row of here) {
      const stack = placed.get(row.name) ?? row.stack;
      byStack.set(stack, [...(byStack.get(stack) ?? []), row]);
    }
    const rest: ContainerRow[] = [];
    const stacks = [...byStack.keys()]
      .filter((s) => s !== null)
      .sort((a, b) => a!.localeCompare(b!));
    for (const stack of stacks) {
      const members = byStack.get(stack)!;
      if (members.length >= 2)
        groups.push({ host, kind: 'stack', stack, rows: orderByAnchor(members) });
      else rest.push(...members);
    }
    rest.push(...(byStack.get(null) ?? []));
    if (rest.length) groups.push({ host, kind: 'rest', stack: null, rows: orderByAnchor(rest) });
  }
  const stacks = [...new Set(rows.map((r) => r.stack))].sort(
    (a, b) => Number(a === null) - Number(b === null) || (a ?? '').localeCompare(b ?? ''),
  );
  const pageSize = rows.length <= ONE_PAGE ? Math.max(1, rows.length) : TABLE_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  return { groups, hosts: hostOrder, stacks, total: rows.length, pageSize, pages };
}

/** The group stack of each dependent: its root anchor's stack (anchors on the same host). */
function placeUnderAnchors(rows: ContainerRow[]): Map<string, string | null> {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const placed = new Map<string, string | null>();
  for (const row of rows) {
    let root = row;
    const seen = new Set<string>([row.name]);
    while (root.anchor && byName.has(root.anchor.name) && !seen.has(root.anchor.name)) {
      root = byName.get(root.anchor.name)!;
      seen.add(root.name);
    }
    if (root !== row) placed.set(row.name, root.stack);
  }
  return placed;
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
