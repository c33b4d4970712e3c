import { describe, expect, it } from 'vitest';
import { planScan } from '../../pipeline/scan/plan.ts';
import type { ScanRecord } from '../../pipeline/scan/schema.ts';
import { fleetSnapshot, imageIdOf, type FleetImage } from '../helpers/fleet.ts';

const fleet: FleetImage[] = [
  { ref: 'a:1', behaviour: { report: 'npm', ms: 1 }, on: { server: 2, nas: 1 } },
  { ref: 'b:1', behaviour: { report: 'npm', ms: 1 }, on: { nas: 1 } },
  { ref: 'c:1', behaviour: { report: 'npm', ms: 1 }, on: { server: 1 } },
  { ref: 'd:1', behaviour: { report: 'npm', ms: 1 }, on: { server: 1 } },
  { ref: 'e:1', behaviour: { report: 'npm', ms: 1 }, on: { server: 1 }, skip: true },
];
const snapshot = fleetSnapshot({ server: 'unix:///s', nas: 'tcp://n:2375' }, fleet);
const now = new Date('2026-11-25T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();
const record = (ref: string, extra: Partial<ScanRecord>): ScanRecord => ({
  status: 'scanned',
  imageId: imageIdOf(ref),
  ref,
  host: 'server',
  updatedAt: hours(-1),
  ...extra,
});

describe('planScan', () => {
  it('queues each distinct image once, across containers and hosts', () => {
    const plan = planScan(snapshot, {}, { now, resultTtlMs: 24 * 3_600_000, force: false });
    expect(plan.queue.map((j) => [j.ref, j.host, j.containers])).toEqual(
      [
        ['a:1', 'nas', 3],
        ['b:1', 'nas', 1],
        ['c:1', 'server', 1],
        ['d:1', 'server', 1],
      ].sort((x, y) => imageIdOf(x[0] as string).localeCompare(imageIdOf(y[0] as string))),
    );
    expect(plan.skipped.map((j) => j.ref)).toEqual(['e:1']);
  });

  it('reuses fresh results and unexpired failures; rescans expired ones, leftovers and new ids', () => {
    const records = {
      [imageIdOf('a:1')]: record('a:1', { scannedAt: hours(-2) }),
      [imageIdOf('b:1')]: record('b:1', { scannedAt: hours(-25) }),
      [imageIdOf('c:1')]: record('c:1', { status: 'failed', retryAfter: hours(0.5) }),
      [imageIdOf('d:1')]: record('d:1', { status: 'pending' }),
      [imageIdOf('gone:1')]: record('gone:1', {}),
    };
    const plan = planScan(snapshot, records, { now, resultTtlMs: 24 * 3_600_000, force: false });
    expect(plan.queue.map((j) => j.ref).sort()).toEqual(['b:1', 'd:1']);
    expect(plan.reused).toBe(2);
    expect(plan.stale).toEqual([imageIdOf('gone:1')]);
    const expired = {
      ...records,
      [imageIdOf('c:1')]: record('c:1', { status: 'failed', retryAfter: hours(-0.1) }),
    };
    expect(
      planScan(snapshot, expired, { now, resultTtlMs: 24 * 3_600_000, force: false })
        .queue.map((j) => j.ref)
        .sort(),
    ).toEqual(['b:1', 'c:1', 'd:1']);
    expect(
      planScan(snapshot, records, { now, resultTtlMs: 24 * 3_600_000, force: true }).queue,
    ).toHaveLength(4);
  });

  it('prefers a host that answered', () => {
    const down = {
      ...snapshot,
      hosts: snapshot.hosts.map((h) => ({ ...h, ok: h.name !== 'nas' })),
    };
    expect(
      planScan(down, {}, { now, resultTtlMs: 1, force: false }).queue.find((j) => j.ref === 'a:1')!
        .host,
    ).toBe('server');
  });
});
