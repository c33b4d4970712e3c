import { shorten } from '../../safe-text.ts';
import type { Finding } from '../../scan/trivy-report.ts';
import { severityRank } from '../../vocabulary.ts';
import { safeLink } from './safe-link.ts';
import type { FindingRow, FindingsList } from './schema/images.ts';
import type { EpssMark } from './schema/risk.ts';
import type { Security } from './schema/security.ts';
import type { ImageDigest } from './image-digest.ts';
import { cveSlug } from '../../findings/ids.ts';
import { shortPurl } from './cves.ts';
import type { MarkedFinding } from '../../findings/judge.ts';

export type { MarkedFinding } from '../../findings/judge.ts';

const MAX_TITLE = 300;

// Its home is safe-text.ts; still exported here for the modules that import it from here.
export { shorten } from '../../safe-text.ts';

/** EPSS scores by CVE id, looked up after every finding was seen. */
export type EpssOf = (id: string) => EpssMark | undefined;

/** Fixable first (what can be done now), then most severe, then id and package. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(Boolean(b.fixed)) - Number(Boolean(a.fixed)) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.id.localeCompare(b.id) ||
    a.pkg.localeCompare(b.pkg)
  );
}

/**
 * The order of an image page's rows: known exploited (KEV) first, then the most severe, then
 * fixable before not, then the likeliest to be exploited (EPSS), then id and package.
 */
export function comparePageRows(a: FindingRow, b: FindingRow): number {
  return (
    Number(Boolean(b.kev)) - Number(Boolean(a.kev)) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    Number(Boolean(b.fixed)) - Number(Boolean(a.fixed)) ||
    (b.epss?.score ?? -1) - (a.epss?.score ?? -1) ||
    a.id.localeCompare(b.id) ||
    a.pkg.localeCompare(b.pkg)
  );
}

/** A finding as a page shows it: shortened text, and a link only when it is http(s). */
export function toFindingRow(
  f: MarkedFinding,
  paged: (id: string) => boolean,
  epssOf: EpssOf = () => undefined,
): FindingRow {
  const link = safeLink(f.url);
  const epss = epssOf(f.id);
  const purl = shortPurl(f.purl);
  return {
    id: f.id,
    ...(paged(f.id) && { cveSlug: cveSlug(f.id) }),
    severity: f.severity,
    pkg: f.pkg,
    ...(f.srcName && { srcName: f.srcName }),
    ...(purl && { purl }),
    ...(f.aliases && { aliases: f.aliases }),
    installed: f.installed,
    ...(f.fixed && { fixed: f.fixed }),
    ...(f.status && { status: f.status }),
    ...(f.title && { title: shorten(f.title, MAX_TITLE) }),
    ...(f.cvss !== undefined && { cvss: f.cvss }),
    ...(f.cvssVersion && { cvssVersion: f.cvssVersion }),
    ...(link && { link }),
    ...(f.published &&
      /^\d{4}-\d\d-\d\d/.test(f.published) && { published: f.published.slice(0, 10) }),
    target: f.target,
    ...(f.kev && { kev: f.kev }),
    ...(epss && { epss }),
    ...(f.expired && { expired: f.expired }),
  };
}

/** What an image page lists: findings when known, else why not, never an empty "0". */
export function listFindings(
  security: Security,
  digest: ImageDigest | undefined,
  paged: (id: string) => boolean,
  epssOf?: EpssOf,
): FindingsList {
  if (security.state !== 'scanned') return { state: 'unknown', reason: unknownReason(security) };
  if (security.findings === 0) return { state: 'none' };
  if (!digest || digest.total === 0) return { state: 'missing', total: security.findings };
  return {
    state: 'listed',
    rows: digest.top.map((f) => toFindingRow(f, paged, epssOf)).sort(comparePageRows),
    total: digest.total,
    omitted: digest.total - digest.top.length,
  };
}

function unknownReason(security: Exclude<Security, { state: 'scanned' }>): string {
  switch (security.state) {
    case 'failed':
      return `The scan failed (${security.code}), so the findings of this image are unknown.`;
    case 'pending':
      return 'A scan of this image was still running when the site was built.';
    case 'skipped':
      return `This image is not scanned: ${security.reason}.`;
    case 'not_scanned':
      return `This image has not been scanned: ${security.reason}.`;
  }
}
