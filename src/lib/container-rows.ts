// The rows of the containers table as markup (see html.ts for why not components), made one at a
// time so the build encodes each as it is made (pipeline/site/render/markup-blocks.ts). Not
// remembered across snapshot pages: a row's update check time changes every day, so a year of
// demo history repeated no row at all (measured: 0 of 61,000).
import type { ContainerRow, RowGroup } from '../../pipeline/site/model/index.ts';
import type { PlacedRow } from './container-pages.ts';
import { attrs, safeHtml, Markup } from './html.ts';
import { stackKey, stateOf } from './rows.ts';
import {
  anchorIcon,
  securityCell,
  tooltip,
  updateCell,
  type SeverityColumn,
} from './table-cells.ts';

/** The rows of one group, as one piece of markup. */
export function groupRows(group: RowGroup, root: string, severities: SeverityColumn[]): Markup {
  return new Markup([...groupRowParts(group, root, severities)].join(''));
}

/** The rows of one group, one row's markup at a time (each can be encoded as it is made). */
export function* groupRowParts(
  group: RowGroup,
  root: string,
  severities: SeverityColumn[],
): Generator<string> {
  for (const row of group.rows) {
    const showStack = group.kind === 'rest' || row.stack !== group.stack;
    yield containerRow(row, { root, severities, showStack }).value;
  }
}

/** Rows of several groups in one list (a page of the flat table), one row's markup at a time. */
export function* placedRowParts(
  rows: PlacedRow[],
  root: string,
  severities: SeverityColumn[],
): Generator<string> {
  for (const { row, showStack } of rows)
    yield containerRow(row, { root, severities, showStack }).value;
}

/** A group's header row: host and stack, its size, and the button that collapses it. */
export function groupHeader(group: RowGroup): Markup {
  const name = group.kind === 'stack' ? group.stack : 'other stacks';
  return safeHtml`<tr class="group"><th colspan="6" scope="rowgroup"><button type="button" class="collapse" data-collapse aria-expanded="true"><span class="chevron" aria-hidden="true">▾</span>${group.host} <span class="muted">/</span> ${name} <span class="muted">· ${group.rows.length}</span></button></th></tr>`;
}

interface RowContext {
  /** Relative path back to the site root. */
  root: string;
  severities: SeverityColumn[];
  /** Its stack is shown on the row (it differs from its group's). */
  showStack: boolean;
}

/** One container's row (a card on a phone). */
export function containerRow(row: ContainerRow, context: RowContext): Markup {
  const fixable = row.security.state === 'scanned' ? row.security.fixable : null;
  const rowAttrs = attrs({
    'data-row': true,
    id: row.domId,
    'data-host': row.host,
    'data-stack': stackKey(row.stack),
    'data-severities': row.severities.join(' '),
    'data-fixable': String((fixable ?? 0) > 0),
    'data-kev': String(row.kev),
    'data-epss': row.epss === null ? '' : String(Math.floor(row.epss * 1000) / 1000),
    'data-state': stateOf(row.security),
    'data-image': row.imageSlug ?? '',
    'data-sort-severity': String(row.weight),
    'data-sort-fixable': String(fixable ?? -1),
    'data-attention': String(row.attention),
    class: row.anchor ? 'dependent' : undefined,
  });
  const cells = [
    safeHtml`<td class="name">${nameCell(row, context.showStack, context.root)}</td>`,
    safeHtml`<td class="state-cell">${stateCell(row)}</td>`,
    safeHtml`<td class="image">${imageCell(row, context.root)}</td>`,
    safeHtml`<td class="cves">${securityCell(row.security, row.domId, context.severities)}</td>`,
    safeHtml`<td class="fix">${fixCell(fixable)}</td>`,
    safeHtml`<td class="update">${updateCell(row.update, row.image, row.domId)}</td>`,
  ];
  return safeHtml`<tr${rowAttrs}>${cells}</tr>`;
}

function nameCell(row: ContainerRow, showStack: boolean, root: string): Markup {
  const a = row.anchor;
  const dependsOn =
    a &&
    `Depends on: ${a.name}${a.type ? ` (${a.type})` : ''}${a.inferred ? ' — inferred, not labelled' : ''}`;
  const inferred = a?.inferred && safeHtml`<span class="inferred">inferred</span>`;
  const marker =
    dependsOn &&
    tooltip(
      { id: `${row.domId}-dep`, text: dependsOn, class: 'dep-marker', label: dependsOn },
      safeHtml`↳${inferred}`,
    );
  const n = row.warnings.length;
  const warnings =
    n > 0 &&
    tooltip(
      {
        id: `${row.domId}-warn`,
        text: row.warnings.join('\n'),
        class: 'warn',
        label: `${n} label warnings`,
      },
      `⚠ ${n}`,
    );
  const stack =
    showStack &&
    row.stack !== null &&
    safeHtml`<span class="stack-chip" title="stack ${row.stack}">${row.stack}</span>`;
  const anchor = row.role === 'anchor' && anchorIcon(row.domId, row.dependents);
  const card = a && safeHtml`<span class="card-line">depends on ${a.name}</span>`;
  // The name links to its image's page, where its findings are.
  const name = row.imageSlug
    ? safeHtml`<a class="cname" href="${root}images/${row.imageSlug}.html" title="${row.name}">${row.name}</a>`
    : safeHtml`<span class="cname" title="${row.name}">${row.name}</span>`;
  return safeHtml`${marker}${name}${anchor}${warnings}${stack}${card}`;
}

function stateCell(row: ContainerRow): Markup {
  const health =
    row.health && safeHtml`<span class="health health-${row.health}">${row.health}</span>`;
  const exit =
    row.exitCode !== undefined &&
    row.state !== 'running' &&
    safeHtml`<span class="muted exit"> · code ${row.exitCode}</span>`;
  return safeHtml`<span class="state state-${row.state}">${row.state}</span>${health}${exit}`;
}

function imageCell(row: ContainerRow, root: string): Markup {
  return row.imageSlug
    ? safeHtml`<a href="${root}images/${row.imageSlug}.html" class="mono" title="${row.image}">${row.image}</a>`
    : safeHtml`<span class="mono" title="${row.image}">${row.image}</span>`;
}

function fixCell(fixable: number | null): Markup {
  if (fixable === null) return safeHtml`<span class="muted" title="unknown: not scanned">—</span>`;
  const tone = fixable === 0 ? 'fix-count none' : 'fix-count';
  return safeHtml`<span class="${tone}" title="${fixable} findings with a fix">${fixable} <span class="fix-word">fixable</span></span>`;
}
