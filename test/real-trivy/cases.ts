// The images the real-Trivy tests build, each from one real Trivy report of a real image
// (demo/trivy-reports/, sources and licences in its README): the packages the report names, at
// the versions it names, and a vulnerability DB made from the same report's advisories. What a
// real scan must find is then computed from the report alone (expected.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPORTS_DIR = path.resolve(import.meta.dirname, '../../demo/trivy-reports');

/** Trivy's end-of-service-life dates for the releases used (Trivy v0.74.0, pkg/detector/ospkg). */
const EOL: Record<string, string> = {
  'alpine 3.19': '2025-11-01T23:59:59Z',
  'alpine 3.22': '2027-04-30T23:59:59Z',
  'debian 10': '2024-06-30T23:59:59Z',
  'debian 12': '2028-06-10T23:59:59Z',
  'debian 13': '3000-01-01T23:59:59Z',
};

export interface ImageCase {
  /** The container's name in the lab. */
  name: string;
  /** The image reference it is created with. */
  ref: string;
  /** The report in demo/trivy-reports/. */
  report: string;
  /** Which Results of the report the image reproduces, by Trivy's Result Type. */
  types: string[];
  /** The OS the image claims (its release file), when it has one. */
  os?: { family: 'alpine' | 'debian'; version: string };
  /** Where the app's files live in the image (the npm app's package.json, the jar). */
  note: string;
}

export const CASES: ImageCase[] = [
  {
    name: 'nuxt-app',
    ref: 'dpk-real/tkpancamanunggal:latest',
    report: 'tkpancamanunggal-nuxt.json',
    types: ['alpine'],
    os: { family: 'alpine', version: '3.22.2' },
    note: 'Alpine 3.22, supported',
  },
  {
    name: 'lifelong-api',
    ref: 'dpk-real/cilab-lifelong-api:dev-latest',
    report: 'cilab-lifelong-api.json',
    types: ['alpine'],
    os: { family: 'alpine', version: '3.19.1' },
    note: 'Alpine 3.19, past its end of life',
  },
  {
    name: 'prometheus-mcp',
    ref: 'dpk-real/prometheus-mcp-server:latest',
    report: 'prometheus-mcp-server.json',
    types: ['debian'],
    os: { family: 'debian', version: '12.11' },
    note: 'Debian 12',
  },
  {
    name: 'nginx-old',
    ref: 'dpk-real/nginx:1.16',
    report: 'nginx-1.16.json',
    types: ['debian'],
    os: { family: 'debian', version: '10.3' },
    note: 'Debian 10, past its end of life, two known-exploited CVEs',
  },
  {
    name: 'juice-shop',
    ref: 'dpk-real/juice-shop:latest',
    report: 'juice-shop.json',
    types: ['debian', 'node-pkg'],
    os: { family: 'debian', version: '13.3' },
    note: 'Debian 13 with an npm app (node_modules/*/package.json, package-lock.json)',
  },
  {
    name: 'consumesafe',
    ref: 'dpk-real/consumesafe:latest',
    report: 'consumesafe-amazonlinux2.json',
    types: ['jar'],
    note: 'a Spring Boot jar with nested jars, one known-exploited CVE (Tomcat)',
  },
];

/** Whether Trivy's table marks the case's release as past its end of life, at `now`. */
export function expectedEosl(image: ImageCase, now = new Date()): boolean | undefined {
  if (!image.os) return undefined;
  const [major = '', minor = ''] = image.os.version.split('.');
  const key = `${image.os.family} ${image.os.family === 'alpine' ? `${major}.${minor}` : major}`;
  const date = EOL[key];
  if (!date) throw new Error(`no end-of-life date for ${key}: add it from Trivy's table`);
  return now.getTime() > Date.parse(date);
}

/** A vulnerability of a report, as Trivy prints it (only what the tests use). */
export interface ReportVuln {
  VulnerabilityID: string;
  VendorIDs?: string[];
  PkgName: string;
  PkgPath?: string;
  InstalledVersion: string;
  FixedVersion?: string;
  Status?: string;
  SeveritySource?: string;
  DataSource?: { ID: string };
  Title?: string;
  Description?: string;
  Severity: string;
  VendorSeverity?: Record<string, number>;
  CVSS?: Record<string, Cvss>;
  References?: string[];
  PublishedDate?: string;
  LastModifiedDate?: string;
}

export interface Cvss {
  V2Vector?: string;
  V3Vector?: string;
  V40Vector?: string;
  V2Score?: number;
  V3Score?: number;
  V40Score?: number;
}

/** The vulnerabilities of the case's chosen Results, each with its Result's Type. */
export function reportVulns(image: ImageCase): Array<ReportVuln & { type: string }> {
  const report = JSON.parse(readFileSync(path.join(REPORTS_DIR, image.report), 'utf8')) as {
    Results?: Array<{ Type: string; Vulnerabilities?: ReportVuln[] }>;
  };
  return (report.Results ?? [])
    .filter((r) => image.types.includes(r.Type))
    .flatMap((r) => (r.Vulnerabilities ?? []).map((v) => ({ ...v, type: r.Type })));
}
