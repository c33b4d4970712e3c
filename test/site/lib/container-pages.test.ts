import { describe, expect, it } from 'vitest';
import type { ContainerRow, Table } from '../../../pipeline/site/model/index.ts';
import { VOCABULARY } from '../../../pipeline/site/model/schema/site.ts';
import { buildTable } from '../../../pipeline/site/model/table.ts';
import {
  attentionOrder,
  pageFile,
  pageRows,
  placedRows,
} from '../../../src/lib/container-pages.ts';
import { rowData, rowScript } from '../../../src/lib/row-data.ts';

function row(name: string, host: string, attention: number, weight: number): ContainerRow {
  return {
    domId: `c-${host}-${name}`,
    host,
    name,
    image: `${name}:1`,
    imageSlug: null,
    state: 'running',
    stack: null,
    role: 'standalone',
    anchor: null,
    dependents: [],
    warnings: [],
    security: { state: 'not_scanned', reason: 'new' },
    update: { state: 'unrecorded' },
    severities: [],
    weight,
    attention,
    kev: false,
    epss: null,
    search: name,
  };
}

const fleet = (n: number): Table =>
  buildTable(
    Array.from({ length: n }, (_, i) =>
      row(`app${String(i).padStart(4, '0')}`, i % 2 ? 'a' : 'b', 1 + (i % 5), i % 7),
    ),
    ['a', 'b'],
  );

// The home page's table in pages: the needs-attention order, pages of it, and the rows as data.
describe('containers table pages', () => {
  it('is one page up to 60 rows, pages of 25 above', () => {
    expect([fleet(44).pageSize, fleet(44).pages]).toEqual([44, 1]);
    expect([fleet(60).pageSize, fleet(60).pages]).toEqual([60, 1]);
    expect([fleet(61).pageSize, fleet(61).pages]).toEqual([25, 3]);
    expect([fleet(1000).pageSize, fleet(1000).pages]).toEqual([25, 40]);
    expect(fleet(0).pages).toBe(1);
  });

  it('orders by tier, then weight, then the grouped order, and pages that order', () => {
    const table = fleet(100);
    const ordered = attentionOrder(placedRows(table));
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1]!, ordered[i]!];
      expect(a.row.attention).toBeGreaterThanOrEqual(b.row.attention);
      if (a.row.attention === b.row.attention) {
        expect(a.row.weight).toBeGreaterThanOrEqual(b.row.weight);
        if (a.row.weight === b.row.weight) expect(a.order).toBeLessThan(b.order);
      }
    }
    const pages = [1, 2, 3, 4].flatMap((p) => pageRows(ordered, p, table.pageSize));
    expect(pages).toEqual(ordered);
    expect(pageFile(1)).toBe('index.html#containers');
    expect(pageFile(3)).toBe('containers-3.html#containers');
  });

  it('hands every row to the client with its group, in the grouped order, escaped', () => {
    const table = buildTable([row('<b>x</b>', 'a', 2, 0), row('y', 'a', 1, 0)], ['a']);
    const data = rowData(table, VOCABULARY.badgeSeverities);
    expect(data.rows.map((r) => r[2])).toEqual(placedRows(table).map((p) => p.row.domId));
    expect(data.rows[0]![0]).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(data.rows[0]![0]).not.toContain('<b>');
    expect(data.groups.length).toBe(table.groups.length);
    const script = rowScript(table, VOCABULARY.badgeSeverities);
    expect(script.startsWith('window.dockpeekRows=')).toBe(true);
    expect(JSON.parse(script.slice('window.dockpeekRows='.length, -2))).toEqual(data);
  });
});
