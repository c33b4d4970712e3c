// GitHub advisories in the OSV form that Trivy's DB builder reads (ghsa/advisories/github-reviewed).
import type { Vuln } from './carried.ts';

export interface GhsaRecord {
  schema_version: string;
  id: string;
  published?: string;
  modified?: string;
  aliases: string[];
  summary: string;
  details: string;
  severity: Array<{ type: string; score: string }>;
  affected: Array<{
    package: { ecosystem: string; name: string };
    ranges: Array<{ type: 'ECOSYSTEM'; events: Array<Record<string, string>> }>;
  }>;
  references: Array<{ type: string; url: string }>;
  database_specific: { severity?: string; github_reviewed: true };
}

export interface GhsaInput {
  ghsaId: string;
  aliases: string[];
  summary: string;
  details?: string;
  /** Trivy's severity word (MEDIUM, …); GitHub says MODERATE. */
  severity?: string | undefined;
  vectors?: { v3?: string | undefined; v4?: string | undefined };
  ecosystem: string;
  pkg: string;
  /** Fixed versions: one range each, so Trivy lists them in this order. */
  fixed: string[];
  published?: string | undefined;
  modified?: string | undefined;
  references?: string[];
}

const ECOSYSTEM: Record<string, string> = { 'node-pkg': 'npm', jar: 'Maven' };

export function ghsaRecord(input: GhsaInput): GhsaRecord {
  const events = (fixed?: string): Array<Record<string, string>> => [
    { introduced: '0' },
    ...(fixed ? [{ fixed }] : []),
  ];
  return {
    schema_version: '1.4.0',
    id: input.ghsaId,
    ...(input.published && { published: input.published }),
    ...(input.modified && { modified: input.modified }),
    aliases: input.aliases,
    summary: input.summary,
    details: input.details ?? '',
    severity: [
      ...(input.vectors?.v3 ? [{ type: 'CVSS_V3', score: input.vectors.v3 }] : []),
      ...(input.vectors?.v4 ? [{ type: 'CVSS_V4', score: input.vectors.v4 }] : []),
    ],
    affected: [
      {
        package: { ecosystem: input.ecosystem, name: input.pkg },
        ranges: (input.fixed.length ? input.fixed : [undefined]).map((f) => ({
          type: 'ECOSYSTEM' as const,
          events: events(f),
        })),
      },
    ],
    references: (input.references ?? []).map((url) => ({ type: 'WEB', url })),
    database_specific: {
      ...(input.severity && {
        severity: input.severity === 'MEDIUM' ? 'MODERATE' : input.severity,
      }),
      github_reviewed: true,
    },
  };
}

/** The advisory behind a language-package finding of a report (Trivy shows its CVE alias). */
export function ghsaFromFinding(v: Vuln): GhsaRecord {
  const id = v.VulnerabilityID;
  // Reports of older Trivy versions do not name the advisory (VendorIDs): one id per CVE then.
  const ghsaId = id.startsWith('GHSA-')
    ? id
    : (v.VendorIDs?.find((x) => x.startsWith('GHSA-')) ?? `GHSA-dpk1-${id.slice(4).toLowerCase()}`);
  const ecosystem = ECOSYSTEM[v.type];
  if (!ecosystem) throw new Error(`${id}: no GitHub ecosystem for ${v.type}`);
  const cvss = v.CVSS?.ghsa;
  return ghsaRecord({
    ghsaId,
    aliases: id.startsWith('GHSA-') ? [] : [id],
    summary: v.Title ?? '',
    details: v.Description ?? '',
    severity: v.SeveritySource === 'ghsa' ? v.Severity : undefined,
    vectors: { v3: cvss?.V3Vector, v4: cvss?.V40Vector },
    ecosystem,
    pkg: v.PkgName,
    fixed: v.FixedVersion ? v.FixedVersion.split(', ') : [],
    published: v.PublishedDate,
    modified: v.LastModifiedDate,
    references: v.References ?? [],
  });
}
