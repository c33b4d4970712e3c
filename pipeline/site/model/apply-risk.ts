import type { EpssOf } from './findings.ts';
import type { Tally } from '../../findings/judge.ts';
import type { Security } from './schema/security.ts';

// What the judged findings change in the states built from scan records: counts after
// acceptance, the accepted/expired/KEV tallies, and the highest EPSS score of an image.

/** A scanned state with its accepted, expired and KEV counts. */
export function withRisk(
  security: Security,
  tally: Tally | undefined,
  kevKnown: boolean,
): Security {
  if (security.state !== 'scanned' || !tally) return security;
  return {
    ...security,
    ...(tally.accepted > 0 && { accepted: tally.accepted }),
    ...(tally.expired > 0 && { expired: tally.expired }),
    ...(kevKnown && { kev: tally.kev }),
  };
}

/** The highest EPSS score among an image's CVE ids; null when none is scored. */
export function maxEpss(ids: Map<string, Set<string>>, epssOf: EpssOf): number | null {
  let max: number | null = null;
  for (const set of ids.values())
    for (const id of set) {
      const score = epssOf(id)?.score;
      if (score !== undefined && (max === null || score > max)) max = score;
    }
  return max;
}
