import type { Snapshot } from '../snapshot/schema.ts';
import type { Export, ExportContainer } from './schema.ts';

const NOT_SCANNED: ExportContainer['security'] = {
  status: 'not_scanned',
  counts: { critical: null, high: null, medium: null, low: null, unknown: null },
  findings: null,
  uniqueCves: null,
  fixable: null,
};

/** Shape the stored snapshot as the export contract (SPEC §2). */
export function buildExport(snapshot: Snapshot, now: Date = new Date()): Export {
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
      security: c.scanSkip ? { ...NOT_SCANNED, status: 'skipped' } : NOT_SCANNED,
    })),
  };
}
