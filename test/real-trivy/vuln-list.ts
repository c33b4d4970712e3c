// Writes the `vuln-list` tree that Trivy's own DB builder (trivy-db build) reads, from the carried
// findings of real reports: Alpine secdb files, Debian security-tracker files (CVE/, DLA/, DSA/),
// NVD API 2.0 records and GitHub advisories (OSV). Every value comes from the report: versions,
// fixed versions, statuses, severities, titles, descriptions, CVSS, references and dates.
//
// Two things the four sources cannot say directly ride on a GitHub advisory for a package no image
// has ("carrier" below): the title of an Alpine CVE (Trivy's real DB takes it from Red Hat or
// Debian), and a severity that Trivy's real DB took from Red Hat (SeveritySource empty in the
// report). The advisory never matches a package, so it adds no finding.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Carried, Vuln } from './carried.ts';
import { ghsaFromFinding, ghsaRecord, type GhsaRecord } from './ghsa.ts';

const CODENAMES: Record<string, string> = {
  '10': 'buster',
  '11': 'bullseye',
  '12': 'bookworm',
  '13': 'trixie',
};
const KIND: Record<string, string> = {
  affected: 'no-dsa',
  will_not_fix: 'ignored',
  fix_deferred: 'postponed',
  end_of_life: 'end-of-life',
};
export const CARRIER_PACKAGE = 'dockpeek-advisory-carrier';

type Json = Record<string, unknown>;

function write(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 1));
}

/** A value all findings of one id must agree on; the builder would otherwise lose one. */
function agree<T>(map: Map<string, T>, key: string, value: T, what: string): void {
  const had = map.get(key);
  if (had !== undefined && JSON.stringify(had) !== JSON.stringify(value))
    throw new Error(`${key}: two findings disagree on ${what}: ${String(had)} / ${String(value)}`);
  map.set(key, value);
}

/** Debian's tracker strips every "(" and ")" at either end of a title: such titles ride a carrier. */
const debianCanTitle = (title: string) => !/^[()]|[()]$/.test(title);

/** The whole tree for `carried` (and any extra GitHub advisories) under `root`. */
export function writeVulnList(root: string, carried: Carried[], extra: GhsaRecord[] = []): void {
  const alpine = new Map<string, Map<string, string[]>>();
  const debian = new Map<string, { title: string; annotations: Json[] }>();
  const nvd = new Map<string, Vuln>();
  const ghsa = new Map<string, GhsaRecord>();
  const carriers = new Map<string, { title?: string; severity?: string }>();
  const titles = new Map<string, string>();

  for (const { image, findings } of carried) {
    for (const v of findings) {
      const id = v.VulnerabilityID;
      if (v.Title) agree(titles, id, v.Title, 'the title');
      if (id.startsWith('CVE-')) nvd.set(id, v);
      if (v.type === 'alpine') {
        const [major, minor] = image.os!.version.split('.');
        const file = `${major}.${minor}/main/${v.PkgName}`;
        const secfixes = alpine.get(file) ?? new Map<string, string[]>();
        secfixes.set(v.FixedVersion!, [...(secfixes.get(v.FixedVersion!) ?? []), id]);
        alpine.set(file, secfixes);
      } else if (v.type === 'debian') {
        const codename = CODENAMES[image.os!.version.split('.')[0]!]!;
        const entry = debian.get(id) ?? { title: '', annotations: [] };
        if (v.Title && debianCanTitle(v.Title)) entry.title = v.Title;
        entry.annotations.push(...debianAnnotations(v, codename));
        debian.set(id, entry);
      } else {
        const record = ghsaFromFinding(v);
        const had = ghsa.get(record.id);
        ghsa.set(record.id, had ? mergeAffected(had, record) : record);
      }
      const carrier = carrierFor(v);
      if (carrier) carriers.set(id, { ...carriers.get(id), ...carrier });
    }
  }

  for (const [file, secfixes] of alpine) {
    const [release, , name] = file.split('/');
    write(path.join(root, 'vuln-list/alpine', `${file}.json`), {
      name,
      distroversion: `v${release}`,
      reponame: 'main',
      secfixes: Object.fromEntries(secfixes),
    });
  }
  const tracker = path.join(root, 'vuln-list-debian/tracker');
  write(
    path.join(tracker, 'distributions.json'),
    Object.fromEntries(Object.entries(CODENAMES).map(([v, c]) => [c, { 'major-version': v }])),
  );
  for (const dir of ['CVE', 'DLA', 'DSA']) mkdirSync(path.join(tracker, dir), { recursive: true });
  for (const [id, { title, annotations }] of debian) {
    const advisory = /^(DLA|DSA)-/.exec(id)?.[1];
    write(path.join(tracker, advisory ?? 'CVE', `${id}.json`), {
      Header: { ID: id, Description: advisory ? title : title && `(${title})` },
      // A DLA/DSA names the release it fixes; it has no unstable ("sid") line.
      Annotations: advisory ? annotations.filter((a) => a.Release) : annotations,
    });
  }
  for (const [id, v] of nvd) {
    write(path.join(root, 'vuln-list-nvd/api', id.split('-')[1]!, `${id}.json`), nvdRecord(v));
  }
  let n = 0;
  for (const [id, carrier] of carriers) {
    const record = carrierRecord(id, carrier, (n += 1));
    ghsa.set(record.id, record);
  }
  for (const record of extra) ghsa.set(record.id, record);
  for (const record of ghsa.values()) {
    const [, year = '2024'] = /^(\d{4})/.exec(record.published ?? '') ?? [];
    write(
      path.join(
        root,
        'ghsa/advisories/github-reviewed',
        year,
        '01',
        record.id,
        `${record.id}.json`,
      ),
      record,
    );
  }
  // The builder walks each source's folder, and fails on one that is missing.
  for (const dir of [
    'vuln-list/alpine',
    'vuln-list-nvd/api',
    'ghsa/advisories/github-reviewed',
    'cocoapods-specs/Specs',
  ])
    mkdirSync(path.join(root, dir), { recursive: true });
}

/** The unstable line (with Debian's urgency when the report's severity is Debian's), then the release's. */
function debianAnnotations(v: Vuln, codename: string): Json[] {
  const urgency = v.SeveritySource === 'debian' ? v.Severity.toLowerCase() : 'not yet assigned';
  const fixed = v.FixedVersion;
  const kind = fixed ? 'fixed' : KIND[v.Status ?? 'affected'];
  if (!kind) throw new Error(`${v.VulnerabilityID} ${v.PkgName}: no Debian kind for ${v.Status}`);
  return [
    {
      Type: 'package',
      Package: v.PkgName,
      Kind: fixed ? 'fixed' : 'unfixed',
      Severity: urgency,
      ...(fixed && { Version: fixed }),
    },
    {
      Type: 'package',
      Release: codename,
      Package: v.PkgName,
      Kind: kind,
      ...(fixed && { Version: fixed }),
    },
  ];
}

/** NVD's record of a CVE: its description, dates, references and NVD's own CVSS. */
function nvdRecord(v: Vuln): Json {
  const cvss = v.CVSS?.nvd;
  const severity = v.VendorSeverity?.nvd;
  const word = severity ? ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'][severity] : undefined;
  const metric = (version: string, vector: string | undefined, score: number | undefined) => ({
    source: 'nvd@nist.gov',
    type: 'Primary',
    cvssData: {
      version,
      ...(vector && { vectorString: vector }),
      ...(score !== undefined && { baseScore: score }),
      ...(word && version !== '2.0' && { baseSeverity: word }),
    },
    ...(word && version === '2.0' && { baseSeverity: word }),
  });
  const metrics: Json = {};
  if (cvss?.V40Vector) metrics.cvssMetricV40 = [metric('4.0', cvss.V40Vector, cvss.V40Score)];
  if (cvss?.V3Vector) {
    const v30 = cvss.V3Vector.startsWith('CVSS:3.0/');
    metrics[v30 ? 'cvssMetricV30' : 'cvssMetricV31'] = [
      metric(v30 ? '3.0' : '3.1', cvss.V3Vector, cvss.V3Score),
    ];
  }
  // NVD's severity with no score of its own: a v2 metric holding only the severity.
  if (cvss?.V2Vector || (word && !cvss?.V3Vector && !cvss?.V40Vector))
    metrics.cvssMetricV2 = [metric('2.0', cvss?.V2Vector, cvss?.V2Score)];
  const date = (d?: string) => d?.replace(/Z$/, '');
  return {
    id: v.VulnerabilityID,
    ...(v.PublishedDate && { published: date(v.PublishedDate) }),
    ...(v.LastModifiedDate && { lastModified: date(v.LastModifiedDate) }),
    vulnStatus: 'Analyzed',
    descriptions: v.Description ? [{ lang: 'en', value: v.Description }] : [],
    metrics,
    references: (v.References ?? []).map((url) => ({ url })),
  };
}

interface Carrier {
  title?: string;
  severity?: string;
  vectors?: { v3?: string | undefined; v4?: string | undefined };
}

/**
 * What an OS finding needs from a carrier: Alpine's title, a title Debian would cut, a severity
 * Trivy's real DB took from Red Hat, GitHub's CVSS (from an advisory of another ecosystem).
 */
function carrierFor(v: Vuln): Carrier | undefined {
  if (v.type !== 'alpine' && v.type !== 'debian') return undefined;
  const title = v.Title && (v.type === 'alpine' || !debianCanTitle(v.Title)) ? v.Title : undefined;
  const severity = !v.SeveritySource && v.Severity !== 'UNKNOWN' ? v.Severity : undefined;
  const cvss = v.CVSS?.ghsa;
  if (!title && !severity && !cvss) return undefined;
  return {
    ...(title && { title }),
    ...(severity && { severity }),
    ...(cvss && { vectors: { v3: cvss.V3Vector, v4: cvss.V40Vector } }),
  };
}

function carrierRecord(cve: string, carrier: Carrier, n: number) {
  return ghsaRecord({
    ghsaId: `GHSA-dpk0-${String(n).padStart(4, '0')}-carr`,
    aliases: [cve],
    summary: carrier.title ?? '',
    severity: carrier.severity,
    ...(carrier.vectors && { vectors: carrier.vectors }),
    ecosystem: 'npm',
    pkg: CARRIER_PACKAGE,
    fixed: ['0.0.1'],
  });
}

function mergeAffected(a: GhsaRecord, b: GhsaRecord): GhsaRecord {
  const names = new Set(a.affected.map((x) => x.package.name));
  return {
    ...a,
    affected: [...a.affected, ...b.affected.filter((x) => !names.has(x.package.name))],
  };
}
