import { cveSlug, imageSlug } from '../../findings/ids.ts';
import type { MarkedFinding } from '../../findings/judge.ts';
import { severityRank, type Severity } from '../../vocabulary.ts';
import type { ImagePage } from './schema/images.ts';
import type { AcceptedFinding, RiskRule } from './schema/risk.ts';

/** Accepted findings kept per image page, and on the accepted-risk page. */
const MAX_ACCEPTED_PER_IMAGE = 200;
const MAX_LISTED = 1000;
const MAX_HELD = 20_000;

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
