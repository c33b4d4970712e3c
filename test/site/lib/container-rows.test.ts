import { describe, expect, it } from 'vitest';
import type { ContainerRow, Security, Update } from '../../../pipeline/site/model/index.ts';
import { VOCABULARY } from '../../../pipeline/site/model/schema/site.ts';
import { containerRow, groupRows } from '../../../src/lib/container-rows.ts';
import { attrs, escapeHtml, safeHtml } from '../../../src/lib/html.ts';
import { securityCell, updateCell } from '../../../src/lib/table-cells.ts';

const severities = VOCABULARY.badgeSeverities;
const EVIL = `"><img src=x onerror=alert(1)>'&`;
const ESCAPED = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;';

function row(overrides: Partial<ContainerRow> = {}): ContainerRow {
  return {
    domId: 'c-lab-app',
    host: 'lab',
    name: 'app',
    image: 'nginx:1',
    imageSlug: '0123456789abcdef',
    state: 'running',
    stack: 'web',
    role: 'standalone',
    anchor: null,
    dependents: [],
    warnings: [],
    security: {
      state: 'scanned',
      counts: { critical: 1, high: 0, medium: 2, low: 0, unknown: 0 },
      findings: 3,
      uniqueCves: 3,
      fixable: 2,
      worst: 'critical',
      clean: false,
      scannedAt: '2026-11-25T10:00:00Z',
    },
    update: { state: 'current', checkedAt: '2026-11-25T10:00:00Z' },
    severities: ['critical', 'medium'],
    weight: 100,
    attention: 5,
    kev: false,
    epss: null,
    search: 'app',
    ...overrides,
  } as ContainerRow;
}

/** Every tag the markup opens, in order (a hostile value must add none). */
const tags = (markup: string) => [...markup.matchAll(/<([a-z]+)/g)].map((m) => m[1]);

describe('safeHtml', () => {
  it('escapes values, keeps markup made by safeHtml, and drops null, undefined and false', () => {
    const inner = safeHtml`<b>${EVIL}</b>`;
    expect(
      safeHtml`<p title="${EVIL}">${inner}${null}${undefined}${false}${[1, 'a']}</p>`.value,
    ).toBe(`<p title="${ESCAPED}"><b>${ESCAPED}</b>1a</p>`);
    expect(escapeHtml(EVIL)).toBe(ESCAPED);
  });

  it('writes attributes in order, bare for true and empty, and leaves out absent ones', () => {
    expect(
      attrs({ 'data-row': true, id: 'x', 'data-epss': '', class: undefined, hidden: false, n: 0 })
        .value,
    ).toBe(' data-row id="x" data-epss n="0"');
  });
});

describe('containerRow', () => {
  const hostile: Array<[string, Partial<ContainerRow>]> = [
    ['name', { name: EVIL }],
    ['image', { image: EVIL, imageSlug: null }],
    ['linked image', { image: EVIL }],
    ['stack', { stack: EVIL }],
    ['state and health', { state: EVIL, health: EVIL, exitCode: 1 }],
    ['label warnings', { warnings: [EVIL, 'second'] }],
    ['anchor name', { anchor: { name: EVIL, type: 'network', inferred: true } }],
    ['dependents', { role: 'anchor', dependents: [EVIL] }],
    [
      'scan failure',
      {
        security: {
          state: 'failed',
          code: 'scan_timeout',
          message: EVIL,
          failedAt: '2026-11-25T10:00:00Z',
        },
      },
    ],
    ['skip reason', { security: { state: 'skipped', reason: EVIL } }],
    [
      'update reason',
      { update: { state: 'unknown', checkedAt: '2026-11-25T10:00:00Z', reason: EVIL } },
    ],
  ];
  it.each(hostile)('a hostile %s stays text', (_, overrides) => {
    const plain = containerRow(row(), { root: '', severities, showStack: true }).value;
    const markup = containerRow(row(overrides), { root: '', severities, showStack: true }).value;
    expect(markup).toContain(ESCAPED);
    expect(markup).not.toContain('<img');
    expect(tags(markup)).not.toContain('img');
    // The hostile value adds no attribute: every quote in it is escaped.
    expect(markup).not.toContain('onerror=alert(1)>');
    expect(plain).not.toContain(ESCAPED);
  });

  it('carries what the filters and sorts read, and links the image page under the root', () => {
    const markup = containerRow(row({ epss: 0.98765, kev: true }), {
      root: '../',
      severities,
      showStack: false,
    }).value;
    expect(markup).toMatch(/^<tr data-row id="c-lab-app" data-host="lab" data-stack="s:web" /);
    expect(markup).toContain(
      'data-severities="critical medium" data-fixable="true" data-kev="true" data-epss="0.987"',
    );
    expect(markup).toContain('data-state="vulnerable"');
    expect(markup).toContain('data-sort-severity="100" data-sort-fixable="2"');
    expect(markup).toContain(
      '<a href="../images/0123456789abcdef.html" class="mono" title="nginx:1">',
    );
    expect(markup).not.toContain('stack-chip');
    expect(tags(markup).filter((t) => t === 'td')).toHaveLength(6);
  });

  it('shows the stack on a row whose group is another stack', () => {
    const group = {
      host: 'lab',
      kind: 'rest' as const,
      stack: null,
      rows: [row(), row({ domId: 'c-lab-b', stack: null })],
    };
    const markup = groupRows(group, '', severities).value;
    expect(markup.match(/<tr /g)).toHaveLength(2);
    expect(markup.match(/stack-chip/g)).toHaveLength(1);
  });
});

describe('cells', () => {
  const security: Array<[string, Security, string[]]> = [
    [
      'scanned clean: four green zeros',
      {
        state: 'scanned',
        counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
        findings: 0,
        uniqueCves: 0,
        fixable: 0,
        worst: null,
        clean: true,
        scannedAt: '2026-11-25T10:00:00Z',
      },
      ['data-clean="true"', 'badge vuln-clean', 'C 0'],
    ],
    [
      'failed: the code, never a zero',
      {
        state: 'failed',
        code: 'scan_timeout',
        message: 'took too long',
        failedAt: '2026-11-25T10:00:00Z',
        retryAfter: '2026-11-25T16:00:00Z',
      },
      [
        'scan failed · scan_timeout',
        'Not retried before 2026-11-25 16:00 UTC',
        'aria-label="Scan failed"',
      ],
    ],
    [
      'pending',
      { state: 'pending', since: '2026-11-25T10:00:00Z' },
      ['scan-state pending', '>pending<'],
    ],
    ['not scanned', { state: 'not_scanned', reason: 'new' }, ['Not scanned: new', '>not scanned<']],
  ];
  it.each(security)('security: %s', (_, s, expected) => {
    const markup = securityCell(s, 'c-x', severities).value;
    for (const text of expected) expect(markup).toContain(text);
    if (s.state !== 'scanned') expect(markup).not.toMatch(/>[CHML] 0</);
  });

  const updates: Array<[Update, string]> = [
    [
      {
        state: 'available',
        checkedAt: '2026-11-25T10:00:00Z',
        anchorWarning: 'Updating will affect 1 dependent: b',
      },
      'update-arrow anchor-warning',
    ],
    [{ state: 'available', checkedAt: '2026-11-25T10:00:00Z' }, 'aria-label="Update available"'],
    [{ state: 'current', checkedAt: '2026-11-25T10:00:00Z' }, 'checked 2026-11-25 10:00 UTC'],
    [
      { state: 'unknown', checkedAt: '2026-11-25T10:00:00Z', reason: 'auth' },
      'Update state unknown: auth',
    ],
    [{ state: 'unrecorded' }, 'not checked'],
  ];
  it.each(updates)('update: $state', (u, expected) => {
    expect(updateCell(u, 'nginx:1', 'c-x').value).toContain(expected);
  });
});
