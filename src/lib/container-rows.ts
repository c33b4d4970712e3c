import { imageKey } from '../../pipeline/scan/schema.ts';
import type { Container } from '../../pipeline/snapshot/schema.ts';
import type { UpdateRecord } from '../../pipeline/updates/schema.ts';
import type { SiteData } from './site-data.ts';
import { imageHref } from './image-slug.ts';
import { toSecurityView, type SecurityView } from './security-view.ts';
import { containerDomId } from './dom-id.ts';

/** One row of the containers table, everything the template needs, nothing computed there. */
export interface ContainerRow {
  /** Unique DOM id. */
  domId: string;
  host: string;
  name: string;
  image: string;
  /** Link to the image's page; absent when it has none (an image gone since an archived snapshot). */
  imageHref?: string;
  state: string;
  health?: string;
  exitCode?: number;
  stack: string;
  role: Container['orchestration']['role'];
  dependents: string[];
  /** "Depends on: gluetun (network)" on dependents. */
  dependsOn?: string;
  inferred: boolean;
  warnings: string[];
  security: SecurityView;
  update: UpdateView;
  /** Space-separated severities present, for the client-side filter. */
  severities: string;
  fixable: boolean;
  /** Lower-case text the search box matches. */
  search: string;
}

/** The Update cell: an arrow (amber on anchors, which affect their dependents), a tick, or why not known. */
export type UpdateView =
  | { kind: 'available'; anchorWarning?: string; text: string }
  | { kind: 'current'; text: string }
  | { kind: 'unknown'; text: string }
  | { kind: 'unchecked'; text: string };

/** Describe the update state of a container; `dependents` makes an anchor's arrow a warning. */
export function toUpdateView(record: UpdateRecord | undefined, dependents: string[]): UpdateView {
  if (!record) return { kind: 'unchecked', text: 'not checked' };
  if (record.status === 'up_to_date')
    return { kind: 'current', text: `Up to date with the registry (checked ${record.checkedAt})` };
  if (record.status === 'unknown')
    return {
      kind: 'unknown',
      text: `Update state unknown: ${record.reason ?? 'no reason recorded'}`,
    };
  const text = `Update available: the registry has a newer image for ${record.ref}`;
  if (dependents.length === 0) return { kind: 'available', text };
  const n = dependents.length;
  return {
    kind: 'available',
    text,
    anchorWarning: `Updating will affect ${n} dependent${n === 1 ? '' : 's'}: ${dependents.join(', ')}`,
  };
}

export interface RowGroup {
  host: string;
  stack: string;
  rows: ContainerRow[];
}

export const NO_STACK = '(no stack)';

/** Build one row per container; `depth` is how deep the page is, `linkable` which images have pages. */
export function buildRows(
  data: Pick<SiteData, 'snapshot' | 'scans'> & Partial<Pick<SiteData, 'updates'>>,
  options: { depth?: number; linkable?: Set<string> } = {},
): ContainerRow[] {
  return data.snapshot.containers.map((c) => {
    const key = imageKey(c);
    const security = toSecurityView(data.scans[key], c.scanSkip);
    const o = c.orchestration;
    const severities =
      security.kind === 'scanned'
        ? Object.entries(security.counts)
            .filter(([, n]) => n > 0)
            .map(([s]) => s)
        : [];
    const dependsOn = o.anchor
      ? `Depends on: ${o.anchor}${o.anchorType ? ` (${o.anchorType})` : ''}${o.inferred ? ' — inferred, not labelled' : ''}`
      : undefined;
    return {
      domId: containerDomId(c),
      host: c.host,
      name: c.name,
      image: c.image,
      ...((!options.linkable || options.linkable.has(key)) && {
        imageHref: imageHref(key, options.depth ?? 0),
      }),
      state: c.state,
      ...(c.health && { health: c.health }),
      ...(c.exitCode !== undefined && { exitCode: c.exitCode }),
      stack: c.stack ?? NO_STACK,
      role: o.role,
      dependents: o.dependents,
      ...(dependsOn && { dependsOn }),
      inferred: o.inferred,
      warnings: o.warnings,
      security,
      update: toUpdateView(data.updates?.[c.image], o.dependents),
      severities: severities.join(' '),
      fixable: security.kind === 'scanned' && security.fixable > 0,
      search: [c.name, c.image, c.stack ?? '', c.host, o.anchor ?? ''].join(' ').toLowerCase(),
    };
  });
}

/** Group rows by host (snapshot order) and stack (alphabetical, no stack last); anchors lead their dependents. */
export function groupRows(rows: ContainerRow[], hostOrder: string[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const id = `${row.host}\u0000${row.stack}`;
    if (!groups.has(id)) groups.set(id, { host: row.host, stack: row.stack, rows: [] });
    groups.get(id)!.rows.push(row);
  }
  const hostRank = (h: string) => (hostOrder.includes(h) ? hostOrder.indexOf(h) : hostOrder.length);
  return [...groups.values()]
    .map((g) => ({ ...g, rows: orderByAnchor(g.rows) }))
    .sort(
      (a, b) =>
        hostRank(a.host) - hostRank(b.host) ||
        Number(a.stack === NO_STACK) - Number(b.stack === NO_STACK) ||
        a.stack.localeCompare(b.stack),
    );
}

/** Alphabetical, except that each dependent follows its anchor (depth-first) when both are in the group. */
function orderByAnchor(rows: ContainerRow[]): ContainerRow[] {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const anchorOf = (r: ContainerRow) =>
    r.dependsOn ? /^Depends on: (\S+)/.exec(r.dependsOn)?.[1] : undefined;
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name));
  const placed = new Set<string>();
  const out: ContainerRow[] = [];
  const place = (row: ContainerRow) => {
    if (placed.has(row.name)) return;
    placed.add(row.name);
    out.push(row);
    for (const dep of sorted) if (anchorOf(dep) === row.name) place(dep);
  };
  for (const row of sorted) {
    const anchor = anchorOf(row);
    // Roots: no anchor here, or an anchor outside this group (cycles fall back to the alphabet).
    if (!anchor || !byName.has(anchor)) place(row);
  }
  for (const row of sorted) place(row);
  return out;
}
