import { z } from 'zod';
import { escapeUnsafe, plainBlock, plainText } from '../safe-text.ts';
import {
  SEVERITIES,
  severityCountsSchema,
  severityRank,
  toSeverity,
  zeroCounts,
} from '../vocabulary.ts';

/** How much of each Trivy field is kept: a report is untrusted, so every stored string is bounded. */
export const CAPS = {
  /** Ids, package names, versions, title, URL. */
  short: 512,
  /** Paths and purls, which are longer in real reports. */
  path: 1024,
  description: 8192,
  references: 16,
  reference: 512,
  /** Status, dates. */
  word: 64,
  /** Vendor ids kept per finding. */
  aliases: 8,
} as const;

const short = z.string().max(CAPS.short);

/** One vulnerability in one package, as stored for the detail pages (one NDJSON line). */
export const FindingSchema = z.object({
  /** CVE / GHSA id. */
  id: short,
  pkg: short,
  installed: short,
  /** Fixed version(s); absent when no fix exists. */
  fixed: short.optional(),
  /** Trivy's status: fixed, affected, will_not_fix, … */
  status: z.string().max(CAPS.word).optional(),
  severity: z.enum(SEVERITIES),
  /** Trivy's title, cut to CAPS.short characters. */
  title: short.optional(),
  /** Trivy's description, cut to CAPS.description characters. */
  description: z.string().max(CAPS.description).optional(),
  /** Highest CVSS v3 score across sources; v4's when none has v3, else v2's. */
  cvss: z.number().optional(),
  /** Which CVSS version `cvss` is when it is not v3. */
  cvssVersion: z.union([z.literal(2), z.literal(4)]).optional(),
  url: short.optional(),
  /** Up to 16 reference URLs as Trivy gave them (any scheme: the site filters what it links). */
  references: z.array(z.string().max(CAPS.reference)).max(CAPS.references).optional(),
  published: z.string().max(CAPS.word).optional(),
  /** Package URL (PkgIdentifier.PURL), e.g. pkg:deb/debian/bash@5.0-4?arch=amd64. */
  purl: z.string().max(CAPS.path).optional(),
  /** Source package (Packages[].SrcName of the Result), when it differs from `pkg`: openssl for libssl1.1. */
  srcName: short.optional(),
  /** Other ids of the same vulnerability (Trivy's VendorIDs: DSA-…, RHSA-…, GHSA-…), at most CAPS.aliases. */
  aliases: z.array(short).max(8).optional(),
  /** File the package was found in (PkgPath), for language packages. */
  pkgPath: z.string().max(CAPS.path).optional(),
  /** Where Trivy found the package (OS, a lock file, …). */
  target: z.string().max(CAPS.path),
});
export type Finding = z.infer<typeof FindingSchema>;

/** Counts per image; findings count every (CVE, package) pair, uniqueCves each id once. */
export const ScanSummarySchema = z.object({
  counts: severityCountsSchema(z.number()),
  findings: z.number(),
  uniqueCves: z.number(),
  /** Findings with a fixed version. */
  fixable: z.number(),
});
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

/**
 * Trivy's FixedVersion: one version, or for language packages every patched version joined with
 * ", " (pkg/detector/library/driver.go), which has no length limit. A version longer than the cap
 * fails the report (a cut version would name another); a long list is kept up to the cap, cut
 * between versions and saying how many more there are.
 */
export const FixedVersionSchema = z
  .string()
  .refine((text) => text.split(', ').every((v) => v.length <= CAPS.short), {
    error: `a fixed version is longer than ${CAPS.short} characters`,
  })
  .transform((text) => boundFixedVersions(text));

export function boundFixedVersions(text: string, max: number = CAPS.short): string {
  if (text.length <= max) return text;
  const versions = text.split(', ');
  for (let kept = versions.length - 1; kept >= 1; kept--) {
    const cut = `${versions.slice(0, kept).join(', ')}, … (+${versions.length - kept} more)`;
    if (cut.length <= max) return cut;
  }
  return `… (${versions.length} versions)`;
}

/** The fields of a Trivy vulnerability a finding is made from, already validated. */
export interface VulnerabilityFields {
  VulnerabilityID: string;
  PkgName: string;
  PkgPath?: string | undefined;
  PkgIdentifier?: { PURL?: string | undefined } | undefined;
  VendorIDs?: string[] | undefined;
  InstalledVersion: string;
  FixedVersion?: string | undefined;
  Status?: string | undefined;
  Severity: string;
  Title?: string | undefined;
  Description?: string | undefined;
  PrimaryURL?: string | undefined;
  PublishedDate?: string | undefined;
  References?: string[] | undefined;
}

/** One finding from a validated vulnerability, its folded CVSS score and its Result's target. */
export function toFinding(
  v: VulnerabilityFields,
  cvss: { score: number; version?: 2 | 4 } | undefined,
  target: string,
): Finding {
  // Every text of a report is cleaned here, once, before it is stored: pages, exports, logs and
  // notifications all read the stored findings (safe-text.ts). Cleaning never lengthens text.
  const references = (v.References ?? [])
    .filter((r) => r.length <= CAPS.reference)
    .slice(0, CAPS.references)
    .map(plainText);
  const purl = v.PkgIdentifier?.PURL && plainText(v.PkgIdentifier.PURL);
  const aliases = [
    ...new Set(
      (v.VendorIDs ?? [])
        .filter((a) => a.length <= CAPS.short)
        .map((a) => cut(escapeUnsafe(a), CAPS.short))
        .filter((a) => a !== '' && a !== v.VulnerabilityID),
    ),
  ].slice(0, CAPS.aliases);
  const fixed = v.FixedVersion && plainText(v.FixedVersion);
  const status = v.Status && plainText(v.Status);
  const title = v.Title && plainText(v.Title);
  const description = v.Description && plainBlock(v.Description);
  const url = v.PrimaryURL && plainText(v.PrimaryURL);
  const published = v.PublishedDate && plainText(v.PublishedDate);
  const pkgPath = v.PkgPath && plainText(v.PkgPath);
  return {
    // The id keys pages and accepted-risk rules: an unsafe character in it is escaped, not
    // removed, so that it can neither be empty nor pass for another id.
    id: cut(escapeUnsafe(v.VulnerabilityID), CAPS.short),
    pkg: plainText(v.PkgName),
    installed: plainText(v.InstalledVersion),
    ...(fixed && { fixed }),
    ...(status && { status }),
    severity: toSeverity(v.Severity),
    ...(title && { title: cut(title, CAPS.short) }),
    ...(description && { description: cut(description, CAPS.description) }),
    ...(cvss && { cvss: cvss.score }),
    ...(cvss?.version && { cvssVersion: cvss.version }),
    ...(url && { url }),
    ...(references.length > 0 && { references }),
    ...(published && { published }),
    ...(purl && { purl }),
    ...(pkgPath && { pkgPath }),
    ...(aliases.length > 0 && { aliases }),
    target: plainText(target),
  };
}

/**
 * The finding with its source package (Packages[].SrcName, joined by PkgIdentifier.UID or PkgID),
 * kept only when it names another package than `pkg`.
 */
export function withSource(f: Finding, srcName: string | undefined): Finding {
  const src = srcName && cut(plainText(srcName), CAPS.short);
  return src && src !== f.pkg ? { ...f, srcName: src } : f;
}

/** Free text cut to `max` UTF-16 units, without splitting a surrogate pair, marked with "…". */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Most severe first, then by id and package: the order findings files are written in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    a.id.localeCompare(b.id) ||
    a.pkg.localeCompare(b.pkg)
  );
}

/** Count findings by severity, unique ids and fixable ones. */
export function summarize(findings: Iterable<Finding>): ScanSummary {
  const counts = zeroCounts();
  const ids = new Set<string>();
  let total = 0;
  let fixable = 0;
  for (const f of findings) {
    counts[f.severity] += 1;
    ids.add(f.id);
    total += 1;
    if (f.fixed) fixable += 1;
  }
  return { counts, findings: total, uniqueCves: ids.size, fixable };
}
