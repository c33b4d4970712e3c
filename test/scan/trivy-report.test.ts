import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrivyReportSchema, readFindings, summarize } from '../../pipeline/scan/trivy-report.ts';
import { REPORTS, reportCounts } from '../helpers/standin.ts';

const names = readdirSync(REPORTS)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('Trivy reports', () => {
  it.each(names)('accepts the real report %s and counts as the report does', (name) => {
    const report = TrivyReportSchema.parse(
      JSON.parse(readFileSync(path.join(REPORTS, `${name}.json`), 'utf8')),
    );
    expect(summarize(readFindings(report))).toEqual(reportCounts(name));
  });

  it('keeps what the detail pages need from each finding', () => {
    const report = TrivyReportSchema.parse(
      JSON.parse(readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8')),
    );
    const findings = readFindings(report);
    expect(findings[0]).toMatchObject({ severity: 'critical' });
    expect(findings.find((f) => f.id === 'CVE-2019-18276')).toEqual({
      id: 'CVE-2019-18276',
      pkg: 'bash',
      installed: '5.0-4',
      status: 'affected',
      severity: 'low',
      title: 'bash: when effective UID is not equal to its real UID the saved UID is not dropped',
      description: expect.stringMatching(
        /^An issue was discovered in disable_priv_mode .* unaffected\.$/,
      ),
      purl: 'pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1',
      references: expect.arrayContaining(['https://nvd.nist.gov/vuln/detail/CVE-2019-18276']),
      cvss: 7.8,
      url: 'https://avd.aquasec.com/nvd/cve-2019-18276',
      published: expect.stringMatching(/^2019-/),
      target: expect.stringContaining('debian'),
    });
  });

  it('reads a clean Result (no Vulnerabilities key) and a report without Results as zero findings', () => {
    for (const name of ['sl-micro-rancher5.4', 'alpine-39-skip']) {
      const report = TrivyReportSchema.parse(
        JSON.parse(readFileSync(path.join(REPORTS, `${name}.json`), 'utf8')),
      );
      expect(summarize(readFindings(report))).toEqual({
        counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
        findings: 0,
        uniqueCves: 0,
        fixable: 0,
      });
    }
  });

  it('counts a CVE in two packages as two findings and one unique CVE', () => {
    const v = { VulnerabilityID: 'CVE-1', Severity: 'HIGH', FixedVersion: '2' };
    const report = TrivyReportSchema.parse({
      SchemaVersion: 2,
      Results: [
        {
          Target: 'x',
          Vulnerabilities: [
            { ...v, PkgName: 'a' },
            { ...v, PkgName: 'b', FixedVersion: '' },
            { VulnerabilityID: 'CVE-2', Severity: 'WEIRD' },
          ],
        },
      ],
    });
    expect(summarize(readFindings(report))).toEqual({
      counts: { critical: 0, high: 2, medium: 0, low: 0, unknown: 1 },
      findings: 3,
      uniqueCves: 2,
      fixable: 1,
    });
  });

  it.each([
    {},
    { SchemaVersion: 2, Results: 'none' },
    { SchemaVersion: 2, Results: [{ Vulnerabilities: [{}] }] },
  ])('rejects %j', (json) => {
    expect(TrivyReportSchema.safeParse(json).success).toBe(false);
  });
});
