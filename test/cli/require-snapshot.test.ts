import { describe, expect, it } from 'vitest';
import { DockpeekError } from '../../pipeline/errors.ts';
import { requireSnapshot } from '../../pipeline/store/require-snapshot.ts';

describe('requireSnapshot', () => {
  it('returns the snapshot of the store', () => {
    const snapshot = { takenAt: '2026-01-01T00:00:00.000Z', containers: [] };
    expect(requireSnapshot({ snapshot }, '/data/db.json')).toBe(snapshot);
  });

  it.each([[null], [undefined]])('with snapshot %s: no_snapshot naming the file', (snapshot) => {
    let thrown: unknown;
    try {
      requireSnapshot({ snapshot }, '/srv/dockpeek/data/db.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DockpeekError);
    const error = thrown as DockpeekError;
    expect(error.code).toBe('no_snapshot');
    expect(error.message).toBe('there is no snapshot in /srv/dockpeek/data/db.json yet');
    expect(error.hint).toBe(
      'Run `dockpeek-security snapshot` (or `refresh`, the whole job) first, or `npm run demo` for sample data.',
    );
    expect(error.docs).toBe('docs/errors.md#no_snapshot');
  });
});
