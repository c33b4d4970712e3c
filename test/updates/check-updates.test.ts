import { describe, expect, it } from 'vitest';
import { checkUpdates } from '../../pipeline/updates/check-updates.ts';
import type { UpdateRecord } from '../../pipeline/updates/schema.ts';
import { container } from '../helpers/notify-views.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

// "constructor" is a valid image reference. With no record of it from the last run, the check must
// ask about it, not take a property every object has for a fresh record.
describe('checkUpdates with references named like Object.prototype properties', () => {
  it.each(['constructor', 'toString', 'valueOf'])('checks %j like any reference', async (ref) => {
    const c = { ...container('lab', 'app', ref), repoDigests: [`${ref}@${DIGEST}`] };
    const snapshot = {
      takenAt: '2026-11-25T10:00:00.000Z',
      hosts: [
        {
          name: 'lab',
          url: 'unix:///nonexistent/docker.sock',
          ok: true,
          containerCount: 1,
          hiddenCount: 0,
          warnings: [],
          durationMs: 1,
        },
      ],
      containers: [c],
    };
    const previous: Record<string, UpdateRecord> = {};
    const run = await checkUpdates(snapshot, [], previous, {
      now: new Date('2026-11-25T10:00:00Z'),
      ttlMs: 3_600_000,
      timeoutMs: 2000,
      concurrency: 1,
      force: false,
    });
    expect(run.reused).toBe(0);
    expect(run.requests).toBe(1);
    expect(Object.keys(run.records)).toEqual([ref]);
    expect(run.records[ref]).toMatchObject({
      ref,
      status: 'unknown',
      localDigests: [`${ref}@${DIGEST}`],
    });
  });
});
