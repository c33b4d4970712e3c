import { ownValue } from '../data-keys.ts';
import type { ScanRecord } from '../scan/schema.ts';
import type { Finding } from '../scan/trivy-report.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { imageKey } from '../scan/schema.ts';
import type { VexImage } from '../vex/match-image.ts';
import { zeroCounts } from '../vocabulary.ts';
import type { KevMark, RiskRule } from './marks.ts';
import type { FindingRisk } from './risk.ts';

/** A finding with what the build knows of its risk: KEV entry, expired acceptance. */
export type MarkedFinding = Finding & {
  kev?: KevMark;
  expired?: RiskRule & { expiredAt: string };
};

/** Counts of one image's findings after the rules: what stays in the totals, and what left. */
export interface Tally {
  summary: NonNullable<ScanRecord['summary']>;
  accepted: number;
  expired: number;
  kev: number;
}

/** The images of a snapshot as accepted-risk rules see them, by image key. */
export function vexImages(
  snapshot: Pick<Snapshot, 'containers'>,
  scans: Record<string, ScanRecord>,
) {
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
