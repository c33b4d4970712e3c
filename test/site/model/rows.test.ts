import { describe, expect, it } from 'vitest';
import { toUpdate } from '../../../pipeline/site/model/rows.ts';

const record = (status: 'update_available' | 'up_to_date' | 'unknown', reason?: string) => ({
  status,
  ref: 'qmcgaw/gluetun:v3',
  host: 'lab',
  checkedAt: '2026-11-25T10:00:00Z',
  localDigests: [],
  ...(reason && { reason }),
});

describe('toUpdate', () => {
  it.each([
    [undefined, [], { state: 'unrecorded' }],
    [record('up_to_date'), [], { state: 'current', checkedAt: '2026-11-25T10:00:00Z' }],
    [
      record('unknown', 'authentication required'),
      [],
      { state: 'unknown', checkedAt: '2026-11-25T10:00:00Z', reason: 'authentication required' },
    ],
    [record('update_available'), [], { state: 'available', checkedAt: '2026-11-25T10:00:00Z' }],
    [
      record('update_available'),
      ['qbittorrent'],
      {
        state: 'available',
        checkedAt: '2026-11-25T10:00:00Z',
        anchorWarning: 'Updating will affect 1 dependent: qbittorrent',
      },
    ],
    [
      record('update_available'),
      ['a', 'b'],
      expect.objectContaining({ anchorWarning: 'Updating will affect 2 dependents: a, b' }),
    ],
  ])('%#', (r, dependents, view) => {
    expect(toUpdate(r as never, dependents)).toEqual(view);
  });
});
