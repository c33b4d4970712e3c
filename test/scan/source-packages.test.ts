import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../pipeline/scan/parse-report.ts';
import { TrivyReportSchema, readFindings } from '../../pipeline/scan/trivy-report.ts';

// Trivy names a Debian package's source only in the Result's Packages (SrcName), joined to a
// vulnerability by PkgIdentifier.UID or PkgID; VendorIDs are the vulnerability's other ids.
const REAL = readFileSync('demo/trivy-reports/nginx-1.16.json');

function report(result: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ SchemaVersion: 2, Results: [result] }));
}
const vuln = (extra: Record<string, unknown>) => ({
  VulnerabilityID: 'CVE-2021-3711',
  PkgName: 'libssl1.1',
  InstalledVersion: '1.1.1d',
  Severity: 'CRITICAL',
  ...extra,
});
function both(bytes: Buffer) {
  const streamed = parseReport(bytes);
  if (!streamed.ok) throw new Error(streamed.message);
  const whole = readFindings(TrivyReportSchema.parse(JSON.parse(String(bytes))));
  expect(streamed.findings).toEqual(whole);
  return streamed.findings;
}

describe('source packages and vendor ids are kept', () => {
  it('a real report: libssl1.1 is from openssl, and CVE-2021-3711 is also DSA-4963-1', () => {
    const findings = both(REAL);
    const f = findings.find((x) => x.id === 'CVE-2021-3711' && x.pkg === 'libssl1.1');
    expect(f).toMatchObject({ srcName: 'openssl', aliases: ['DSA-4963-1'] });
    expect(f?.purl).toMatch(/^pkg:deb\/debian\/libssl1\.1@/);
    // A package that is its own source carries no srcName.
    expect(findings.some((x) => x.pkg === 'openssl' && x.srcName)).toBe(false);
  });

  it.each([
    ['by UID, Packages after Vulnerabilities', { PkgIdentifier: { UID: 'u1' } }, 'after'],
    ['by PkgID, Packages first', { PkgID: 'libssl1.1@1.1.1d' }, 'before'],
  ])('joins %s', (_name, extra, order) => {
    const packages = [{ ID: 'libssl1.1@1.1.1d', SrcName: 'openssl', Identifier: { UID: 'u1' } }];
    const vulnerabilities = [vuln(extra)];
    const result =
      order === 'before'
        ? { Target: 't', Packages: packages, Vulnerabilities: vulnerabilities }
        : { Target: 't', Vulnerabilities: vulnerabilities, Packages: packages };
    expect(both(report(result))[0]?.srcName).toBe('openssl');
  });

  it('skips package entries that do not fit, and never fails the report for them', () => {
    const packages = [
      { ID: 'libssl1.1@1.1.1d', SrcName: { nested: ['x'] } },
      'not an object',
      { ID: 5, SrcName: 'openssl' },
    ];
    const findings = both(
      report({
        Target: 't',
        Packages: packages,
        Vulnerabilities: [vuln({ PkgID: 'libssl1.1@1.1.1d' })],
      }),
    );
    expect(findings[0]?.srcName).toBeUndefined();
    expect(both(report({ Target: 't', Packages: 'x', Vulnerabilities: [vuln({})] }))).toHaveLength(
      1,
    );
  });

  it('cleans and bounds vendor ids; a non-string one fails the report as a reference would', () => {
    const ids = [
      'GHSA-aaaa-bbbb-cccc',
      'CVE-2021-3711',
      'x\u0000y',
      ...Array.from({ length: 20 }, (_, i) => `DSA-${i}`),
    ];
    const [f] = both(report({ Target: 't', Vulnerabilities: [vuln({ VendorIDs: ids })] }));
    expect(f?.aliases).toHaveLength(8);
    expect(f?.aliases).not.toContain('CVE-2021-3711');
    expect(f?.aliases?.every((a) => !a.includes('\u0000'))).toBe(true);
    expect(
      parseReport(report({ Target: 't', Vulnerabilities: [vuln({ VendorIDs: [1] })] })).ok,
    ).toBe(false);
  });
});
