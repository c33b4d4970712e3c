import { describe, expect, it } from 'vitest';
import { toUpdateView } from '../../src/lib/container-rows.ts';

const record = (status: 'update_available' | 'up_to_date' | 'unknown', reason?: string) => ({
  status,
  ref: 'qmcgaw/gluetun:v3',
  host: 'lab',
  checkedAt: '2026-11-25T10:00:00Z',
  localDigests: [],
  ...(reason && { reason }),
});

describe('toUpdateView', () => {
  it.each([
    [undefined, [], { kind: 'unchecked', text: 'not checked' }],
    [
      record('up_to_date'),
      [],
      { kind: 'current', text: 'Up to date with the registry (checked 2026-11-25T10:00:00Z)' },
    ],
    [
      record('unknown', 'authentication required'),
      [],
      { kind: 'unknown', text: 'Update state unknown: authentication required' },
    ],
    [
      record('update_available'),
      [],
      {
        kind: 'available',
        text: 'Update available: the registry has a newer image for qmcgaw/gluetun:v3',
      },
    ],
    [
      record('update_available'),
      ['qbittorrent'],
      {
        kind: 'available',
        text: 'Update available: the registry has a newer image for qmcgaw/gluetun:v3',
        anchorWarning: 'Updating will affect 1 dependent: qbittorrent',
      },
    ],
    [
      record('update_available'),
      ['a', 'b'],
      expect.objectContaining({ anchorWarning: 'Updating will affect 2 dependents: a, b' }),
    ],
  ])('%#', (r, dependents, view) => {
    expect(toUpdateView(r as never, dependents)).toEqual(view);
  });
});
