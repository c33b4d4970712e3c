import { ownValue } from '../../data-keys.ts';
import { imageKey, type ScanRecord } from '../../scan/schema.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import type { UpdateRecord } from '../../updates/schema.ts';
import { SEVERITIES } from '../../vocabulary.ts';
import { containerDomId, imageSlug } from '../../findings/ids.ts';
import { baseAttention } from './attention.ts';
import type { ContainerRow } from './schema/containers.ts';
import type { Update } from './schema/security.ts';
import { securityWeight, toSecurity, type NotScannedReasons } from './security.ts';

/** What rows are built from: one snapshot with the scan and update state of its time. */
export interface RowInputs {
  snapshot: Snapshot;
  scans: Record<string, ScanRecord>;
  /** Update records by image reference; undefined when none were recorded with the snapshot. */
  updates: Record<string, UpdateRecord> | undefined;
  /** Image keys that have a page in this build (the current snapshot's). */
  linkable: Set<string>;
  reasons: NotScannedReasons;
}

/** One row per container, with everything the table shows and filters on. */
export function buildRows(inputs: RowInputs): ContainerRow[] {
  const skipped = new Set(
    inputs.snapshot.containers.filter((c) => c.scanSkip).map((c) => imageKey(c)),
  );
  return inputs.snapshot.containers.map((c) => {
    const key = imageKey(c);
    const security = toSecurity(ownValue(inputs.scans, key), skipped.has(key), inputs.reasons);
    const o = c.orchestration;
    return {
      domId: containerDomId(c),
      host: c.host,
      name: c.name,
      image: c.image,
      imageSlug: inputs.linkable.has(key) ? imageSlug(key) : null,
      state: c.state,
      ...(c.health && { health: c.health }),
      ...(c.exitCode !== undefined && { exitCode: c.exitCode }),
      stack: c.stack,
      role: o.role,
      anchor: o.anchor ? { name: o.anchor, type: o.anchorType, inferred: o.inferred } : null,
      dependents: o.dependents,
      warnings: o.warnings,
      security,
      update: toUpdate(ownValue(inputs.updates, c.image), o.dependents),
      severities:
        security.state === 'scanned' ? SEVERITIES.filter((s) => security.counts[s] > 0) : [],
      weight: securityWeight(security),
      attention: baseAttention(security),
      // Set for the current snapshot once feeds are read (build-model); archives have none.
      kev: false,
      epss: null,
      search: [c.name, c.image, c.stack ?? '', c.host, o.anchor ?? ''].join(' ').toLowerCase(),
    };
  });
}

/** The update state recorded for a reference; on anchors an update warns about the dependents. */
export function toUpdate(record: UpdateRecord | undefined, dependents: string[]): Update {
  if (!record) return { state: 'unrecorded' };
  if (record.status === 'up_to_date') return { state: 'current', checkedAt: record.checkedAt };
  if (record.status === 'unknown')
    return {
      state: 'unknown',
      checkedAt: record.checkedAt,
      reason: record.reason ?? 'no reason was recorded',
    };
  const n = dependents.length;
  return {
    state: 'available',
    checkedAt: record.checkedAt,
    ...(n > 0 && {
      anchorWarning: `Updating will affect ${n} dependent${n === 1 ? '' : 's'}: ${dependents.join(', ')}`,
    }),
  };
}
