import { FIX_FIRST_SEVERITY, severityRank, type SEVERITIES } from '../../vocabulary.ts';
import type { CvePage } from './schema/cves.ts';
import type { FixFirst, FixFirstItem } from './schema/risk.ts';

/** Entries shown on the home page; the Fix-first page (fix-first.html) lists them all. */
export const FIX_FIRST_SHOWN = 10;
const MAX_CONTAINERS = 12;
const MAX_FIXES = 6;

/** Points by severity rank, most severe first (one per severity, which the type checks). */
const SEVERITY_POINTS = [30, 20, 10, 5, 0] as const satisfies {
  length: (typeof SEVERITIES)['length'];
};

/**
 * The ranking score of a vulnerability (documented in docs/dashboard.md#fix-first):
 * 200 if it is in KEV, + 20 if CISA knows of ransomware use, + 50 × its EPSS probability,
 * + 30/20/10/5/0 for critical/high/medium/low/unknown, + 10 when a fix exists,
 * + half the number of affected containers, at most 10.
 */
export function fixFirstScore(cve: CvePage): number {
  return (
    (cve.kev ? 200 : 0) +
    (cve.kev?.ransomware ? 20 : 0) +
    50 * (cve.epss?.score ?? 0) +
    SEVERITY_POINTS[severityRank(cve.severity)]! +
    (cve.fixable ? 10 : 0) +
    Math.min(cve.containers, 20) / 2
  );
}

/**
 * What to fix first: vulnerabilities in KEV, or at or above the EPSS `percentile`, or critical
 * with a fix; ranked by fixFirstScore, ties by id. Accepted findings never reach the CVE pages,
 * so they are never listed here.
 */
export function buildFixFirst(cves: CvePage[], percentile: number): FixFirst {
  const qualifying = cves.flatMap((cve): FixFirstItem[] => {
    const reasons: FixFirstItem['reasons'] = [];
    if (cve.kev) reasons.push('kev');
    if (cve.epss && cve.epss.percentile >= percentile) reasons.push('epss');
    if (cve.severity === FIX_FIRST_SEVERITY && cve.fixable) reasons.push('critical_fix');
    if (reasons.length === 0) return [];
    const containers = cve.images.flatMap((i) => i.containers);
    return [
      {
        id: cve.id,
        slug: cve.slug,
        severity: cve.severity,
        ...(cve.title && { title: cve.title }),
        ...(cve.kev && { kev: cve.kev }),
        ...(cve.epss && { epss: cve.epss }),
        reasons,
        // The same package fixed in the same version, installed in two versions, is one fix.
        fixes: [
          ...new Set(cve.packages.filter((p) => p.fixed).map((p) => `${p.pkg} → ${p.fixed}`)),
        ].slice(0, MAX_FIXES),
        containers: containers.slice(0, MAX_CONTAINERS),
        containerCount: cve.containers,
        score: Math.round(fixFirstScore(cve) * 100) / 100,
      },
    ];
  });
  qualifying.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return {
    percentile,
    items: qualifying.slice(0, FIX_FIRST_SHOWN),
    all: qualifying,
    total: qualifying.length,
  };
}
