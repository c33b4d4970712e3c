// What a correct scan of each test image must store, computed from the case's report alone (not
// from a previous run, and not with the product's code): one finding per vulnerability and package
// the report lists, with its fixed version, status, severity, title and CVSS.
import type { Carried, Cvss, Vuln } from './carried.ts';

export interface ExpectedFinding {
  id: string;
  pkg: string;
  installed: string;
  fixed?: string;
  status?: string;
  severity: string;
  title?: string;
  cvss?: number;
  /** 2 or 4 when the score is not v3. */
  cvssVersion?: 2 | 4;
  pkgPath?: string;
}

/** The CVSS sources the test DB carries (NVD's and GitHub's; the report may name more). */
const CARRIED_CVSS = ['nvd', 'ghsa'];

/** The score a finding shows: the highest v3 of the carried sources, else v4, else v2. */
export function expectedCvss(
  cvss: Record<string, Cvss> | undefined,
): { cvss: number; cvssVersion?: 2 | 4 } | undefined {
  const sources = CARRIED_CVSS.flatMap((s) => (cvss?.[s] ? [cvss[s]] : []));
  const best = (pick: (c: Cvss) => number | undefined) => {
    const scores = sources.flatMap((c) => (pick(c) !== undefined ? [pick(c)!] : []));
    return scores.length ? Math.max(...scores) : undefined;
  };
  const [v3, v4, v2] = [best((c) => c.V3Score), best((c) => c.V40Score), best((c) => c.V2Score)];
  if (v3 !== undefined) return { cvss: v3 };
  if (v4 !== undefined) return { cvss: v4, cvssVersion: 4 };
  return v2 !== undefined ? { cvss: v2, cvssVersion: 2 } : undefined;
}

function expected(v: Vuln): ExpectedFinding {
  return {
    id: v.VulnerabilityID,
    pkg: v.PkgName,
    installed: v.InstalledVersion,
    ...(v.FixedVersion && { fixed: v.FixedVersion }),
    ...(v.Status && { status: v.Status }),
    severity: v.Severity.toLowerCase(),
    ...(v.Title && { title: v.Title }),
    ...expectedCvss(v.CVSS),
    ...(v.PkgPath && { pkgPath: v.PkgPath }),
  };
}

/** A stable order for comparing lists. */
export const findingKey = (f: { id: string; pkg: string; installed: string; pkgPath?: string }) =>
  `${f.id} ${f.pkg} ${f.installed} ${f.pkgPath ?? ''}`;

export function expectedFindings(carried: Carried): ExpectedFinding[] {
  return carried.findings.map(expected).sort((a, b) => findingKey(a).localeCompare(findingKey(b)));
}
