import { ownValue } from '../../data-keys.ts';
import type { ScanRecord } from '../../scan/schema.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { imageKey } from '../../scan/schema.ts';
import type { VexImage } from '../../vex/match-image.ts';
import { severityRank, zeroCounts, type Severity } from '../../vocabulary.ts';
import { cveSlug } from './cves.ts';
import type { MarkedFinding } from './findings.ts';
import { imageSlug } from './ids.ts';
import type { FindingRisk } from './risk.ts';
import type { ImagePage } from './schema/images.ts';
import type { AcceptedFinding, RiskRule } from './schema/risk.ts';

/** Accepted findings kept per image page, and on the accepted-risk page. */
const MAX_ACCEPTED_PER_IMAGE = 200;
const MAX_LISTED = 1000;
const MAX_HELD = 20_000;

/** Counts of one image's findings after the rules: what stays in the totals, and what left. */
export interface Tally {
  summary: NonNullable<ScanRecord['summary']>;
  accepted: number;
  expired: number;
  kev: number;
}

/** The images of a snapshot as accepted-risk rules see them, by image key. */
export function vexImages(snapshot: Snapshot, scans: Record<string, ScanRecord>) {
  const images = new Map<string, VexImage>();
  for (const c of snapshot.containers) {
    const key = imageKey(c);
    if (!images.has(key))
      images.set(key, {
        reference: ownValue(scans, key)?.ref ?? c.image,
        repoDigests: c.repoDigests,
        imageId: c.imageId,
      });
  }
  return images;
}

/** Counts one image's findings as they stream past, after the rules. */
export function createTally() {
  const counts = zeroCounts();
  const ids = new Set<string>();
  const tally = { findings: 0, fixable: 0, accepted: 0, expired: 0, kev: 0 };
  return {
    /** A finding that counts (not accepted). */
    count(f: MarkedFinding): void {
      counts[f.severity] += 1;
      tally.findings += 1;
      ids.add(f.id);
      if (f.fixed) tally.fixable += 1;
      if (f.kev) tally.kev += 1;
      if (f.expired) tally.expired += 1;
    },
    accept(): void {
      tally.accepted += 1;
    },
    result(): Tally {
      return {
        summary: {
          counts: { ...counts },
          findings: tally.findings,
          uniqueCves: ids.size,
          fixable: tally.fixable,
        },
        accepted: tally.accepted,
        expired: tally.expired,
        kev: tally.kev,
      };
    },
  };
}

/** The finding with its KEV entry and expired acceptance attached. */
export function markFinding(f: MarkedFinding, risk: FindingRisk): MarkedFinding {
  if (!risk.kev && !risk.expired) return f;
  return {
    ...f,
    ...(risk.kev && { kev: risk.kev }),
    ...(risk.expired && { expired: risk.expired }),
  };
}

/** How an accepted finding becomes a row of its image page (once the CVE pages are known). */
export type AcceptedRowOf = (
  f: MarkedFinding,
) => Omit<ImagePage['accepted'][number], 'rule' | 'expiresAt'>;

interface Held {
  key: string;
  ref: string;
  f: MarkedFinding;
  rule: RiskRule;
  expiresAt?: string;
  expiredAt?: string;
}

/**
 * Gathers accepted and expired findings for the image pages and the accepted-risk page. Bounded:
 * at most MAX_ACCEPTED_PER_IMAGE per image and MAX_HELD in all are kept; the totals count all.
 */
export function createAcceptedCollector() {
  const accepted: Held[] = [];
  const expired: Held[] = [];
  const perImage = new Map<string, number>();
  const totals = { accepted: 0, expired: 0 };
  return {
    accept(key: string, ref: string, f: MarkedFinding, rule: RiskRule & { expiresAt?: string }) {
      totals.accepted += 1;
      const n = perImage.get(key) ?? 0;
      if (n >= MAX_ACCEPTED_PER_IMAGE || accepted.length >= MAX_HELD) return;
      perImage.set(key, n + 1);
      const { expiresAt, ...described } = rule;
      accepted.push({ key, ref, f, rule: described, ...(expiresAt && { expiresAt }) });
    },
    expire(key: string, ref: string, f: MarkedFinding): void {
      totals.expired += 1;
      if (!f.expired || expired.length >= MAX_LISTED) return;
      const { expiredAt, ...described } = f.expired;
      expired.push({ key, ref, f, rule: described, expiredAt });
    },
    /** Rows for the image pages and lists for the accepted-risk page. */
    finish(paged: (id: string) => boolean, rowOf: AcceptedRowOf) {
      const listed = (h: Held): AcceptedFinding => ({
        imageSlug: imageSlug(h.key),
        ref: h.ref,
        id: h.f.id,
        ...(paged(h.f.id) && { cveSlug: cveSlug(h.f.id) }),
        severity: h.f.severity,
        pkg: h.f.pkg,
        installed: h.f.installed,
        rule: h.rule,
        ...(h.expiresAt && { expiresAt: h.expiresAt }),
        ...(h.expiredAt && { expiredAt: h.expiredAt }),
      });
      const rows = new Map<string, ImagePage['accepted']>();
      for (const h of accepted) {
        if (!rows.has(h.key)) rows.set(h.key, []);
        rows.get(h.key)!.push({
          ...rowOf(h.f),
          rule: h.rule,
          ...(h.expiresAt && { expiresAt: h.expiresAt }),
        });
      }
      for (const list of rows.values()) list.sort(bySeverity);
      return {
        rows,
        accepted: accepted.map(listed).sort(bySeverity).slice(0, MAX_LISTED),
        expired: expired.map(listed).sort(bySeverity),
        totals,
      };
    },
  };
}

function bySeverity(a: { severity: Severity; id: string }, b: { severity: Severity; id: string }) {
  return severityRank(a.severity) - severityRank(b.severity) || a.id.localeCompare(b.id);
}
