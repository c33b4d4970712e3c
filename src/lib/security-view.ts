import { toSecurity } from '../../pipeline/export/build-export.ts';
import type { ScanRecord } from '../../pipeline/scan/schema.ts';

export const SEVERITY_BADGES = [
  { key: 'critical', letter: 'C', label: 'Critical' },
  { key: 'high', letter: 'H', label: 'High' },
  { key: 'medium', letter: 'M', label: 'Medium' },
  { key: 'low', letter: 'L', label: 'Low' },
] as const;
export type BadgeSeverity = (typeof SEVERITY_BADGES)[number]['key'];

/** What the badge cell shows for one container or image. */
export type SecurityView =
  | {
      kind: 'scanned';
      clean: boolean;
      counts: Record<BadgeSeverity | 'unknown', number>;
      findings: number;
      uniqueCves: number;
      fixable: number;
      worst: BadgeSeverity | 'unknown' | null;
      scannedAt?: string;
    }
  | { kind: 'failed'; code: string; message: string; retryAfter?: string }
  | { kind: 'pending' | 'not_scanned' | 'skipped' };

export const FAILED_TOOLTIP = 'Scan failed – image may be inaccessible';

/** The badge state for an image's scan record; `skip` wins (dockpeek.security.skip). */
export function toSecurityView(record: ScanRecord | undefined, skip: boolean): SecurityView {
  if (skip) return { kind: 'skipped' };
  const security = toSecurity(record);
  if (security.status === 'scanned') {
    const counts = {
      critical: security.counts.critical ?? 0,
      high: security.counts.high ?? 0,
      medium: security.counts.medium ?? 0,
      low: security.counts.low ?? 0,
      unknown: security.counts.unknown ?? 0,
    };
    const worst =
      (['critical', 'high', 'medium', 'low', 'unknown'] as const).find((s) => counts[s] > 0) ??
      null;
    return {
      kind: 'scanned',
      clean: (security.findings ?? 0) === 0,
      counts,
      findings: security.findings ?? 0,
      uniqueCves: security.uniqueCves ?? 0,
      fixable: security.fixable ?? 0,
      worst,
      ...(security.scannedAt && { scannedAt: security.scannedAt }),
    };
  }
  if (security.status === 'failed') {
    return {
      kind: 'failed',
      code: security.error?.code ?? 'scan_failed',
      message: security.error?.message ?? 'no reason recorded',
      ...(security.retryAfter && { retryAfter: security.retryAfter }),
    };
  }
  return { kind: security.status };
}

/** Words for the non-scanned states, used as visible text and tooltip. */
export const STATE_TEXT: Record<
  'pending' | 'not_scanned' | 'skipped',
  { short: string; long: string }
> = {
  pending: { short: 'pending', long: 'Scan pending: queued in the running scan' },
  not_scanned: {
    short: 'not scanned',
    long: 'Not scanned yet: the image is new since the last scan',
  },
  skipped: { short: 'skipped', long: 'Skipped: dockpeek.security.skip=true' },
};
