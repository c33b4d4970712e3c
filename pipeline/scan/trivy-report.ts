import { z } from 'zod';
import {
  CAPS,
  FixedVersionSchema,
  compareFindings,
  toFinding,
  withSource,
  type Finding,
} from './finding.ts';

export {
  FindingSchema,
  ScanSummarySchema,
  summarize,
  type Finding,
  type ScanSummary,
} from './finding.ts';

// Schema of Trivy's JSON report (SchemaVersion 2), as loose as real reports need: a clean Result
// has no Vulnerabilities key, and a report of an image with nothing detectable has no Results.
// The streaming reader (report-reader.ts) validates with these same pieces, one value at a time.

const short = z.string().max(CAPS.short);

/** One source's CVSS scores (nvd, redhat, ghsa, …). */
export const CvssSchema = z
  .object({
    V3Score: z.number().optional(),
    V40Score: z.number().optional(),
    V2Score: z.number().optional(),
  })
  .partial();

/** PkgIdentifier: the package URL is kept; UID joins a vulnerability to its package's SrcName. */
export const PkgIdentifierSchema = z.object({
  PURL: z.string().max(CAPS.path).optional(),
  UID: z.string().max(CAPS.word).optional(),
});

/**
 * One entry of a Result's Packages (with --list-all-pkgs): only what names its source package.
 * Read leniently: an entry that does not fit is skipped, never a reason to fail the report.
 */
export const PackageSchema = z.object({
  ID: short.optional(),
  SrcName: short.optional(),
  Identifier: z.object({ UID: z.string().max(CAPS.word).optional() }).optional(),
});

/** Source package names of a Result at most (a hostile report could list millions). */
export const MAX_SOURCES = 50_000;

/** The join keys of a package or a vulnerability: its UID, else its ID (PkgID). */
export function packageKey(uid: string | undefined, id: string | undefined): string | undefined {
  return uid ? `uid:${uid}` : id ? `id:${id}` : undefined;
}

/** Source names of a Result's packages, by join key (both the UID's and the ID's). */
export function sourceNames(packages: Iterable<unknown>): Map<string, string> {
  const sources = new Map<string, string>();
  for (const entry of packages) {
    if (sources.size >= MAX_SOURCES) break;
    const p = PackageSchema.safeParse(entry);
    if (!p.success || !p.data.SrcName) continue;
    for (const key of [
      packageKey(p.data.Identifier?.UID, undefined),
      packageKey(undefined, p.data.ID),
    ])
      if (key) sources.set(key, p.data.SrcName);
  }
  return sources;
}

/** The source name of a vulnerability's package, by UID first, then by PkgID. */
export function sourceOf(
  sources: Map<string, string>,
  uid: string | undefined,
  id: string | undefined,
): string | undefined {
  return (
    (uid ? sources.get(`uid:${uid}`) : undefined) ?? (id ? sources.get(`id:${id}`) : undefined)
  );
}

/** The fields of a vulnerability that findings are made of (CVSS is folded separately). */
export const VulnerabilityFieldsSchema = z.object({
  VulnerabilityID: short.min(1),
  PkgName: short.default(''),
  PkgPath: z.string().max(CAPS.path).optional(),
  PkgIdentifier: PkgIdentifierSchema.optional(),
  /** Joins the vulnerability to its entry in Packages when there is no UID. */
  PkgID: short.optional(),
  /** Other ids (DSA-…, RHSA-…, GHSA-…): every entry must be a string; 8 are kept. */
  VendorIDs: z.array(z.string()).optional(),
  InstalledVersion: short.default(''),
  /** For language packages a ", "-joined list, which can be long: kept up to CAPS.short, cut between versions. */
  FixedVersion: FixedVersionSchema.optional(),
  Status: z.string().max(CAPS.word).optional(),
  Severity: z.string().default('UNKNOWN'),
  /** Free text: cut to its cap when kept, never a reason to fail. */
  Title: z.string().optional(),
  Description: z.string().optional(),
  PrimaryURL: short.optional(),
  PublishedDate: z.string().max(CAPS.word).optional(),
  /** Every entry must be a string; the first 16 of at most 512 characters are kept. */
  References: z.array(z.string()).optional(),
});

/** A vulnerability as Trivy prints it. */
export const VulnerabilitySchema = VulnerabilityFieldsSchema.extend({
  CVSS: z.record(z.string(), CvssSchema).optional(),
});

/** A Result without its vulnerabilities. */
export const ResultHeaderSchema = z.object({
  Target: z.string().max(CAPS.path).default(''),
  Class: z.string().optional(),
  Type: z.string().optional(),
});

/** Metadata.OS: the image's distribution and whether it is past its end of support. */
export const OsSchema = z.object({
  Family: z.string().max(CAPS.word).default(''),
  Name: z.string().max(CAPS.word).default(''),
  EOSL: z.boolean().optional(),
});

/** The top-level fields read besides Results. */
export const ReportHeaderSchema = z.object({
  /** Another version may move fields; reading it as this one could show zero vulnerabilities. */
  SchemaVersion: z.literal(2, {
    error: 'SchemaVersion must be 2, the report format DockPeek reads',
  }),
  ArtifactName: z.string().optional(),
  Metadata: z.object({ OS: OsSchema.nullish() }).nullish(),
});

export const ResultSchema = ResultHeaderSchema.extend({
  /** Entries are read one by one with PackageSchema: a bad one is skipped. */
  Packages: z.array(z.unknown()).nullish().catch(undefined),
  Vulnerabilities: z.array(VulnerabilitySchema).nullish(),
});

/** The parts of `trivy image --format json` that DockPeek reads, as one document. */
export const TrivyReportSchema = ReportHeaderSchema.extend({
  Results: z.array(ResultSchema).nullish(),
});
export type TrivyReport = z.infer<typeof TrivyReportSchema>;

/** A finding's CVSS: the highest v3 score across sources, else v4's, else v2's, and which it is. */
export interface FoldedCvss {
  score: number;
  /** 2 or 4; absent for v3, the version every source has had for years. */
  version?: 2 | 4;
}

export function foldCvss(scores: Iterable<z.infer<typeof CvssSchema>>): FoldedCvss | undefined {
  let v3: number | undefined;
  let v4: number | undefined;
  let v2: number | undefined;
  for (const s of scores) {
    if (s.V3Score !== undefined) v3 = Math.max(v3 ?? -Infinity, s.V3Score);
    if (s.V40Score !== undefined) v4 = Math.max(v4 ?? -Infinity, s.V40Score);
    if (s.V2Score !== undefined) v2 = Math.max(v2 ?? -Infinity, s.V2Score);
  }
  if (v3 !== undefined) return { score: v3 };
  if (v4 !== undefined) return { score: v4, version: 4 };
  return v2 !== undefined ? { score: v2, version: 2 } : undefined;
}

/** Flatten a whole parsed report into findings, most severe first (small reports, the demo). */
export function readFindings(report: TrivyReport): Finding[] {
  const findings = (report.Results ?? []).flatMap((result) => {
    const sources = sourceNames(result.Packages ?? []);
    return (result.Vulnerabilities ?? []).map((v) =>
      withSource(
        toFinding(v, foldCvss(Object.values(v.CVSS ?? {})), result.Target),
        sourceOf(sources, v.PkgIdentifier?.UID, v.PkgID),
      ),
    );
  });
  return findings.sort(compareFindings);
}
