// Which findings of a case's report the test DB can carry, and so which packages the image holds.
// Trivy's DB builder is fed four sources here (Alpine secdb, the Debian security tracker, NVD and
// GitHub's advisories); a finding whose data came from another source (the Node.js security WG)
// cannot be reproduced, so its package is left out of the image with all its findings: for every
// package in an image, the report's findings are exactly what a correct scan must find.
import { reportVulns, type ImageCase, type ReportVuln } from './cases.ts';

export type Vuln = ReportVuln & { type: string };
export type { Cvss } from './cases.ts';

/** A package of the image: where Trivy finds it and under which name and version. */
export interface Package {
  type: string;
  name: string;
  version: string;
  /** The file it is read from, for language packages (PkgPath). */
  path?: string;
  /** A Debian binary's source version, when it differs (an epoch only the binary has). */
  sourceVersion?: string;
}

export interface Carried {
  image: ImageCase;
  packages: Package[];
  findings: Vuln[];
  /** Packages left out, with why, for the test's log. */
  left: Array<{ pkg: string; why: string }>;
}

const OS_TYPES = new Set(['alpine', 'debian']);
const DEBIAN_URGENCY = new Set(['LOW', 'MEDIUM', 'HIGH']);

/** Why the DB cannot reproduce this finding, or undefined when it can. */
function notCarriable(v: Vuln): string | undefined {
  const source = v.DataSource?.ID;
  if (OS_TYPES.has(v.type) && source !== v.type) return `data source ${source}`;
  if (!OS_TYPES.has(v.type) && source !== 'ghsa') return `data source ${source}`;
  switch (v.SeveritySource) {
    case undefined:
    case 'nvd':
    case 'ghsa':
      return undefined;
    case 'debian':
      return DEBIAN_URGENCY.has(v.Severity) ? undefined : `debian severity ${v.Severity}`;
    default:
      return `severity source ${v.SeveritySource}`;
  }
}

export const packageKey = (p: Package) => `${p.type}\0${p.name}\0${p.version}\0${p.path ?? ''}`;

export const packageOf = (v: Vuln): Package => ({
  type: v.type,
  name: v.PkgName,
  version: v.InstalledVersion,
  ...(v.PkgPath && { path: v.PkgPath }),
});

/**
 * What the DB holds once per vulnerability id, whichever package or image it is found in: its
 * title, its CVSS, and a severity that is not a vendor's own for the package (NVD's, or the one
 * Trivy falls back to). Two reports of different dates can disagree on them.
 */
function shared(v: Vuln): { title: string; cvss: string; severity?: string } {
  const cvss = JSON.stringify([v.CVSS?.nvd ?? null, v.CVSS?.ghsa ?? null]);
  const own = v.SeveritySource === 'debian' || v.SeveritySource === 'ghsa';
  return { title: v.Title ?? '', cvss, ...(!own && { severity: v.Severity }) };
}

function disagree(a: ReturnType<typeof shared>, b: ReturnType<typeof shared>): string | undefined {
  if (a.title !== b.title) return 'title';
  if (a.cvss !== b.cvss) return 'CVSS';
  if (a.severity !== undefined && b.severity !== undefined && a.severity !== b.severity)
    return 'severity';
  return undefined;
}

/** Every case's carried packages; a package whose report disagrees with an earlier case is left out. */
export function carryAll(images: ImageCase[]): Carried[] {
  const claimed = new Map<string, { by: string; facts: ReturnType<typeof shared> }>();
  return images.map((image) => carry(image, claimed));
}

/** The packages and findings of one case that the test DB carries. */
function carry(
  image: ImageCase,
  claimed: Map<string, { by: string; facts: ReturnType<typeof shared> }>,
): Carried {
  const vulns = reportVulns(image);
  const blocked = new Map<string, string>();
  for (const v of vulns) {
    const earlier = claimed.get(v.VulnerabilityID);
    const differs = earlier && disagree(earlier.facts, shared(v));
    const why =
      notCarriable(v) ??
      (differs && `${v.VulnerabilityID}: its ${differs} differs from ${earlier.by}'s report`);
    if (why) blocked.set(packageKey(packageOf(v)), why);
  }
  const packages = new Map<string, Package>();
  const findings: Vuln[] = [];
  for (const v of vulns) {
    const key = packageKey(packageOf(v));
    if (blocked.has(key)) continue;
    const pkg = packages.get(key) ?? packageOf(v);
    // Debian's fixed versions are source versions: one without the binary's epoch shows it.
    const epochless = /^\d+:(.*)$/.exec(v.InstalledVersion)?.[1];
    if (v.type === 'debian' && epochless && v.FixedVersion && !v.FixedVersion.includes(':'))
      pkg.sourceVersion = epochless;
    packages.set(key, pkg);
    findings.push(v);
    claimed.set(v.VulnerabilityID, { by: image.name, facts: shared(v) });
  }
  const left = [...blocked].map(([key, why]) => ({ pkg: key.split('\0').join(' '), why }));
  return { image, packages: [...packages.values()], findings, left };
}
