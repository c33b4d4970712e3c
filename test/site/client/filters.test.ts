import { describe, expect, it } from 'vitest';
import { describeDoubt, judge, verdicts } from '../../../src/client/filters.ts';
import type { Row } from '../../../src/client/rows.ts';
import type { SearchHit } from '../../../src/client/search.ts';

function row(overrides: Partial<Row> = {}): Row {
  return {
    id: 'c-lab-app',
    group: 0,
    order: 0,
    host: 'lab',
    stack: 's:web',
    severities: ['critical'],
    fixable: 2,
    state: 'vulnerable',
    image: 'aaaa',
    kev: false,
    epss: 0.2,
    attention: 3,
    weight: 100,
    search: 'app nginx:1 web lab',
    ...overrides,
  };
}

const unknownRow = (state: string) =>
  row({
    state,
    image: 'bbbb',
    severities: [],
    fixable: -1,
    epss: -1,
    search: `db-${state} postgres:16 lab`,
  });

// What a filter can and cannot judge: a row whose findings are unknown is neither kept nor
// dropped by a filter on findings, and any filter on something known still drops it.
describe('filter verdicts', () => {
  const hit: SearchHit = { images: new Set(['aaaa']), packages: ['openssl'] };

  it.each([
    ['a matching severity', { sev: 'critical' }, '', row(), 'match'],
    ['another severity', { sev: 'low' }, '', row(), 'no'],
    ['a severity, on a failed scan', { sev: 'critical' }, '', unknownRow('failed'), 'unknown'],
    ['fixable, on a row not scanned', { fixable: '1' }, '', unknownRow('not_scanned'), 'unknown'],
    ['KEV, on a pending scan', { kev: '1' }, '', unknownRow('pending'), 'unknown'],
    ['EPSS, on a skipped image', { epss: '0.5' }, '', unknownRow('skipped'), 'unknown'],
    ['EPSS below the row', { epss: '0.1' }, '', row(), 'match'],
    [
      'another host, on a failed scan',
      { host: 'nas', sev: 'critical' },
      '',
      unknownRow('failed'),
      'no',
    ],
    ['the scan state itself', { state: 'vulnerable' }, '', unknownRow('failed'), 'no'],
    ['a name that matches', {}, 'db-failed', unknownRow('failed'), 'match'],
    ['a name that does not, on a clean row', {}, 'zzz', row({ state: 'clean' }), 'no'],
    ['a CVE id, on a failed scan', {}, 'cve-2024-1', unknownRow('failed'), 'unknown'],
    ['a CVE id, on a scanned row without it', {}, 'cve-2024-1', row(), 'no'],
  ] as const)('%s', (_name, f, q, r, expected) => {
    expect(judge(r, { ...f }, q)).toBe(expected);
  });

  it('lets the index decide a package query, and leaves it open on unknown rows', () => {
    expect(judge(row({ search: 'other' }), {}, 'openssl', hit)).toBe('match');
    expect(judge(unknownRow('failed'), {}, 'openssl', hit)).toBe('unknown');
    expect(judge(unknownRow('failed'), {}, 'openssl')).toBe('no');
  });

  it('names each field that hides a row (what a link to the row clears)', () => {
    const v = verdicts(unknownRow('failed'), { host: 'nas', sev: 'critical', stack: 's:db' }, '');
    expect(Object.fromEntries(v)).toEqual({ host: 'no', stack: 'no', sev: 'unknown' });
  });

  it('counts the rows in doubt by state, in words', () => {
    expect(describeDoubt([])).toBe('');
    const text = describeDoubt([
      unknownRow('not_scanned'),
      unknownRow('failed'),
      unknownRow('failed'),
    ]);
    expect(text).toMatch(
      /^3 more containers could also match \(2 with a failed scan, 1 not scanned\)/,
    );
    expect(describeDoubt([unknownRow('pending')])).toMatch(/^1 more container could/);
  });
});
