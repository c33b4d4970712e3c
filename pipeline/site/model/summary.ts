import { ownValue } from '../../data-keys.ts';
import { imageKey, type ScanRecord } from '../../scan/schema.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { BADGE_SEVERITIES, SEVERITY_WORDS, type BadgeSeverity } from '../../vocabulary.ts';
import type { ContainerRow } from './schema/containers.ts';
import type { Security } from './schema/security.ts';
import type { StateCounts, Summary, SeverityTotal } from './schema/summary.ts';
import { toSecurity, type NotScannedReasons } from './security.ts';

/** One distinct image of a snapshot with its security state. */
export interface ImageState {
  key: string;
  security: Security;
}

/** CVE ids of one scanned image by severity, when its findings are readable. */
export type CveIdsOf = (key: string) => Map<string, Set<string>> | undefined;

/** The distinct images of a snapshot (by key), each with its state; skip wins for the image. */
export function imageStates(
  snapshot: Snapshot,
  scans: Record<string, ScanRecord>,
  reasons: NotScannedReasons,
): ImageState[] {
  const skip = new Map<string, boolean>();
  for (const c of snapshot.containers)
    skip.set(imageKey(c), (skip.get(imageKey(c)) ?? false) || c.scanSkip);
  return [...skip].map(([key, skipped]) => ({
    key,
    security: toSecurity(ownValue(scans, key), skipped, reasons),
  }));
}

/**
 * The summary panel. Every severity figure covers only scanned images, is null when none was
 * scanned, and is drawn clean only when no image is unknown (failed, pending or not scanned).
 */
export function buildSummary(
  snapshot: Snapshot,
  images: ImageState[],
  rows: ContainerRow[],
  cveIds: CveIdsOf,
  risk: RiskTotals = NO_RISK,
): Summary {
  const scanned = images.flatMap(({ key, security }) =>
    security.state === 'scanned' ? [{ key, security }] : [],
  );
  const imageCounts = countStates(images.map((i) => i.security));
  const unknown = imageCounts.failed + imageCounts.pending + imageCounts.notScanned;
  const any = scanned.length > 0;
  const severities = BADGE_SEVERITIES.map((key): SeverityTotal => {
    const findings = scanned.reduce((sum, i) => sum + i.security.counts[key], 0);
    return {
      key,
      ...SEVERITY_WORDS[key],
      findings: any ? findings : null,
      uniqueCves: any ? uniqueIds(scanned, key, cveIds) : null,
      containers: any
        ? rows.filter((r) => r.security.state === 'scanned' && r.security.counts[key] > 0).length
        : null,
      tone: findings > 0 ? 'found' : any && unknown === 0 ? 'clean' : 'unknown',
    };
  });
  const updates = { available: 0, current: 0, unknown: 0, unrecorded: 0 };
  for (const row of rows) updates[row.update.state] += 1;
  const eosl = (s: Security) => s.state === 'scanned' && s.os?.eosl === true;
  return {
    images: imageCounts,
    endOfLife: {
      images: images.filter((i) => eosl(i.security)).length,
      containers: rows.filter((r) => eosl(r.security)).length,
    },
    containers: countStates(rows.map((r) => r.security)),
    severities,
    fixable: any ? scanned.reduce((sum, i) => sum + i.security.fixable, 0) : null,
    updates,
    hosts: snapshot.hosts.map((h) => ({
      name: h.name,
      url: h.url,
      ok: h.ok,
      ...(h.error && { error: h.error }),
      ...(h.errorCode && { errorCode: h.errorCode }),
      containers: snapshot.containers.filter((c) => c.host === h.name).length,
    })),
    risk: {
      kevFindings:
        risk.kevKnown && any ? scanned.reduce((sum, i) => sum + (i.security.kev ?? 0), 0) : null,
      kevContainers: risk.kevKnown && any ? rows.filter((r) => r.kev).length : null,
      accepted: risk.accepted,
      expired: risk.expired,
      staleRules: risk.staleRules,
      rejectedDocuments: risk.rejectedDocuments,
    },
  };
}

/** What the build learnt from the feeds and rules, for the summary. */
export interface RiskTotals {
  /** A KEV catalogue is stored: KEV counts are known. */
  kevKnown: boolean;
  accepted: number;
  expired: number;
  staleRules: number;
  rejectedDocuments: number;
}
const NO_RISK: RiskTotals = {
  kevKnown: false,
  accepted: 0,
  expired: 0,
  staleRules: 0,
  rejectedDocuments: 0,
};

/** How many of these states are in each scan state. */
export function countStates(states: Security[]): StateCounts {
  const counts: StateCounts = {
    total: states.length,
    scanned: 0,
    clean: 0,
    vulnerable: 0,
    failed: 0,
    pending: 0,
    notScanned: 0,
    skipped: 0,
  };
  for (const s of states) {
    if (s.state === 'scanned') {
      counts.scanned += 1;
      counts[s.clean ? 'clean' : 'vulnerable'] += 1;
    } else if (s.state === 'not_scanned') counts.notScanned += 1;
    else counts[s.state] += 1;
  }
  return counts;
}

/** Distinct CVE ids of one severity across images; an image without readable findings adds its own count. */
function uniqueIds(
  scanned: Array<{ key: string; security: Extract<Security, { state: 'scanned' }> }>,
  severity: BadgeSeverity,
  cveIds: CveIdsOf,
): number {
  const ids = new Set<string>();
  let unreadable = 0;
  for (const { key, security } of scanned) {
    if (security.counts[severity] === 0) continue;
    const known = cveIds(key);
    if (known) for (const id of known.get(severity) ?? []) ids.add(id);
    else unreadable += security.counts[severity];
  }
  return ids.size + unreadable;
}
