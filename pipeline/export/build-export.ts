import { ownValue } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import { imageKey } from '../scan/schema.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import type { UpdateRecord } from '../updates/schema.ts';
import { SEVERITIES, severityRecord } from '../vocabulary.ts';
import type { Export, ExportContainer } from './schema.ts';

type Security = ExportContainer['security'];

const NO_COUNTS = {
  counts: severityRecord(SEVERITIES, null),
  findings: null,
  uniqueCves: null,
  fixable: null,
} as const;
const NO_NUMBERS = { ...NO_COUNTS, accepted: null, raw: NO_COUNTS } as const;

/**
 * Shape the stored snapshot and scan states as the export contract (docs/export.md). `scans` are
 * the scanner's records; `judged`, the same records after accepted risk (findings/counts.ts
 * judgedScans), default to them when no rule applies.
 */
export function buildExport(
  snapshot: Snapshot,
  scans: Record<string, ScanRecord> = {},
  now: Date = new Date(),
  updates: Record<string, UpdateRecord> = {},
  judged: Record<string, ScanRecord> = scans,
): Export {
  return {
    generatedAt: now.toISOString(),
    snapshotAt: snapshot.takenAt,
    hosts: snapshot.hosts.map((h) => ({
      name: h.name,
      url: h.url,
      ok: h.ok,
      ...(h.error && { error: h.error }),
    })),
    containers: snapshot.containers.map((c) => ({
      host: c.host,
      name: c.name,
      id: c.id,
      image: c.image,
      imageId: c.imageId,
      state: c.state,
      ...(c.health && { health: c.health }),
      stack: c.stack,
      orchestration: c.orchestration,
      security: c.scanSkip
        ? { status: 'skipped', ...NO_NUMBERS }
        : toSecurity(ownValue(judged, imageKey(c)), ownValue(scans, imageKey(c))),
      ...toUpdate(ownValue(updates, c.image)),
    })),
  };
}

/** The update state of a reference, when one was recorded. */
function toUpdate(record: UpdateRecord | undefined): Pick<ExportContainer, 'update'> {
  if (!record) return {};
  return { update: { status: record.status, ...(record.reason && { reason: record.reason }) } };
}

/** A failure or a missing scan is never shown as zero: numbers are null unless scanned. */
export function toSecurity(
  record: ScanRecord | undefined,
  raw: ScanRecord | undefined = record,
): Security {
  if (!record) return { status: 'not_scanned', ...NO_NUMBERS };
  if (record.status === 'scanned' && record.summary) {
    const s = record.summary;
    const r = raw?.summary ?? s;
    return {
      status: 'scanned',
      counts: s.counts,
      findings: s.findings,
      uniqueCves: s.uniqueCves,
      fixable: s.fixable,
      accepted: r.findings - s.findings,
      raw: { counts: r.counts, findings: r.findings, uniqueCves: r.uniqueCves, fixable: r.fixable },
      ...(record.scannedAt && { scannedAt: record.scannedAt }),
    };
  }
  if (record.status === 'failed') {
    return {
      status: 'failed',
      ...NO_NUMBERS,
      ...(record.error && { error: record.error }),
      ...(record.retryAfter && { retryAfter: record.retryAfter }),
    };
  }
  return { status: record.status === 'scanned' ? 'not_scanned' : record.status, ...NO_NUMBERS };
}
