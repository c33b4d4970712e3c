import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../pipeline/scan/schema.ts';
import { openStore } from '../../pipeline/store/db.ts';
import { createScanLedger } from '../../pipeline/store/scan-ledger.ts';
import { makeDataDir } from '../helpers/cli.ts';

const record = (key: string, status: ScanRecord['status']): ScanRecord => ({
  status,
  imageId: key,
  ref: `${key}:1`,
  host: 'lab',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const onDisk = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8'));

describe('the scan ledger over the store', () => {
  it('keeps changes in memory until save, then writes them all at once', async () => {
    const dir = makeDataDir();
    const store = await openStore(dir);
    store.db.data.snapshot = { takenAt: '2026-01-01T00:00:00.000Z', hosts: [], containers: [] };
    store.db.data.scans['old'] = record('old', 'scanned');
    await store.db.write();
    const ledger = createScanLedger(store);
    expect(ledger).toMatchObject({ file: path.join(dir, 'db.json'), dataDir: dir });
    expect(ledger.snapshot()?.takenAt).toBe('2026-01-01T00:00:00.000Z');

    ledger.putScan('new', record('new', 'failed'));
    ledger.putScan('__proto__', record('__proto__', 'skipped'));
    ledger.dropScan('old');
    ledger.recordRun({ state: 'ran', at: '2026-01-02T00:00:00.000Z' });
    expect(Object.keys(ledger.scans()).sort()).toEqual(['__proto__', 'new']);
    expect(Object.keys(onDisk(dir).scans)).toEqual(['old']);
    expect(onDisk(dir).scanRun).toBeUndefined();

    await ledger.save();
    expect(Object.keys(onDisk(dir).scans).sort()).toEqual(['__proto__', 'new']);
    expect(onDisk(dir).scanRun).toEqual({ state: 'ran', at: '2026-01-02T00:00:00.000Z' });
    const again = createScanLedger(await openStore(dir));
    expect(again.scans()['__proto__']?.status).toBe('skipped');
  });
});
