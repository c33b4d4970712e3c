import { z } from 'zod';
import { SEVERITIES, severityRank, type Severity } from '../vocabulary.ts';

// Schema of Trivy's JSON report (SchemaVersion 2), as loose as real reports need: a clean Result
// has no Vulnerabilities key, and a report of an image with nothing detectable has no Results.

const CvssSchema = z
  .object({ V3Score: z.number().optional(), V2Score: z.number().optional() })
  .partial();

const VulnerabilitySchema = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string().default(''),
  InstalledVersion: z.string().default(''),
  FixedVersion: z.string().optional(),
  Status: z.string().optional(),
  Severity: z.string().default('UNKNOWN'),
  Title: z.string().optional(),
  PrimaryURL: z.string().optional(),
  PublishedDate: z.string().optional(),
  CVSS: z.record(z.string(), CvssSchema).optional(),
});

const ResultSchema = z.object({
  Target: z.string().default(''),
  Class: z.string().optional(),
  Type: z.string().optional(),
  Vulnerabilities: z.array(VulnerabilitySchema).nullish(),
});

/** The parts of `trivy image --format json` that DockPeek reads. */
export const TrivyReportSchema = z.object({
  /** Another version may move fields; reading it as this one could show zero vulnerabilities. */
  SchemaVersion: z.literal(2, {
    error: 'SchemaVersion must be 2, the report format DockPeek reads',
  }),
  ArtifactName: z.string().optional(),
  Results: z.array(ResultSchema).nullish(),
});
export type TrivyReport = z.infer<typeof TrivyReportSchema>;
type TrivyVulnerability = z.infer<typeof VulnerabilitySchema>;

/** One vulnerability in one package, as stored for the detail pages. */
export const FindingSchema = z.object({
  /** CVE / GHSA id. */
  id: z.string(),
  pkg: z.string(),
  installed: z.string(),
  /** Fixed version(s); absent when no fix exists. */
  fixed: z.string().optional(),
  /** Trivy's status: fixed, affected, will_not_fix, … */
  status: z.string().optional(),
  severity: z.enum(SEVERITIES),
  title: z.string().optional(),
  /** Highest CVSS v3 score across sources (v2 when no v3). */
  cvss: z.number().optional(),
  url: z.string().optional(),
  published: z.string().optional(),
  /** Where Trivy found the package (OS, a lock file, …). */
  target: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Counts per image; findings count every (CVE, package) pair, uniqueCves each id once. */
export const ScanSummarySchema = z.object({
  counts: z.object({
    critical: z.number(),
    high: z.number(),
    medium: z.number(),
    low: z.number(),
    unknown: z.number(),
  }),
  findings: z.number(),
  uniqueCves: z.number(),
  /** Findings with a fixed version. */
  fixable: z.number(),
});
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

/** Flatten a report into findings, most severe first. */
export function readFindings(report: TrivyReport): Finding[] {
  const findings = (report.Results ?? []).flatMap((result) =>
    (result.Vulnerabilities ?? []).map((v) => toFinding(v, result.Target)),
  );
  const rank = severityRank;
  return findings.sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) || a.id.localeCompare(b.id) || a.pkg.localeCompare(b.pkg),
  );
}

function toFinding(v: TrivyVulnerability, target: string): Finding {
  const severity = v.Severity.toLowerCase();
  const scores = Object.values(v.CVSS ?? {});
  const v3 = scores.map((s) => s.V3Score).filter((n) => n !== undefined);
  const v2 = scores.map((s) => s.V2Score).filter((n) => n !== undefined);
  const cvss = v3.length ? Math.max(...v3) : v2.length ? Math.max(...v2) : undefined;
  return {
    id: v.VulnerabilityID,
    pkg: v.PkgName,
    installed: v.InstalledVersion,
    ...(v.FixedVersion && { fixed: v.FixedVersion }),
    ...(v.Status && { status: v.Status }),
    severity: (SEVERITIES as readonly string[]).includes(severity)
      ? (severity as Severity)
      : 'unknown',
    ...(v.Title && { title: v.Title }),
    ...(cvss !== undefined && { cvss }),
    ...(v.PrimaryURL && { url: v.PrimaryURL }),
    ...(v.PublishedDate && { published: v.PublishedDate }),
    target,
  };
}

/** Count findings by severity, unique ids and fixable ones. */
export function summarize(findings: Finding[]): ScanSummary {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return {
    counts,
    findings: findings.length,
    uniqueCves: new Set(findings.map((f) => f.id)).size,
    fixable: findings.filter((f) => f.fixed).length,
  };
}
