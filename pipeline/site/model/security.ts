import type { ScanRecord } from '../../scan/schema.ts';
import { SEVERITIES } from '../../vocabulary.ts';
import type { Security } from './schema/security.ts';

/** Why images without a record were not scanned, in the page's words. */
export interface NotScannedReasons {
  /** An image with no scan record. */
  missing: string;
}

/** The honest security state of one image: numbers only when it was scanned. */
export function toSecurity(
  record: ScanRecord | undefined,
  skip: boolean,
  reasons: NotScannedReasons,
): Security {
  if (skip) return { state: 'skipped', reason: 'dockpeek.security.skip=true on a container' };
  if (!record) return { state: 'not_scanned', reason: reasons.missing };
  if (record.status === 'scanned' && record.summary) {
    const s = record.summary;
    const worst = SEVERITIES.find((key) => s.counts[key] > 0) ?? null;
    return {
      state: 'scanned',
      counts: s.counts,
      findings: s.findings,
      uniqueCves: s.uniqueCves,
      fixable: s.fixable,
      worst,
      clean: s.findings === 0,
      scannedAt: record.scannedAt ?? record.updatedAt,
      ...(record.trivyVersion && { trivyVersion: record.trivyVersion }),
      ...(record.os && { os: record.os }),
    };
  }
  if (record.status === 'failed') {
    return {
      state: 'failed',
      code: record.error?.code ?? 'scan_failed',
      message: record.error?.message || 'no reason was recorded',
      failedAt: record.updatedAt,
      ...(record.retryAfter && { retryAfter: record.retryAfter }),
    };
  }
  if (record.status === 'pending') return { state: 'pending', since: record.updatedAt };
  if (record.status === 'skipped')
    return { state: 'skipped', reason: 'dockpeek.security.skip=true on a container' };
  // "scanned" without a summary: nothing usable was kept.
  return { state: 'not_scanned', reason: 'the scan record holds no result' };
}

/** Worst-first sort weight: critical outranks any number of highs, and so on down. */
export function securityWeight(security: Security): number {
  if (security.state !== 'scanned') return security.state === 'failed' ? 0.5 : -1;
  const c = security.counts;
  const clamp = (n: number, max: number) => Math.min(n, max);
  return (
    clamp(c.critical, 8999) * 1e12 +
    clamp(c.high, 9999) * 1e8 +
    clamp(c.medium, 9999) * 1e4 +
    clamp(c.low, 9999)
  );
}
