import { describe, expect, it } from 'vitest';
import { createRuleUsage } from '../../pipeline/vex/rule-usage.ts';
import { loadDocs, openVex } from '../helpers/vex-docs.ts';
import { readRealReport } from '../helpers/vex-fleet.ts';

// Rules judged across a fleet of two real images: what each names, what it does, which are stale.
describe('rule usage across the fleet', () => {
  const fleet = [
    readRealReport('consumesafe-amazonlinux2'),
    readRealReport('prometheus-mcp-server'),
  ];

  it('counts matches per rule, tells accepted from expired and overridden, and lists stale rules', async () => {
    const loaded = await loadDocs({
      'a.yaml': [
        'vulnerabilities:',
        '  - id: CVE-2025-6020', // four libpam packages in the debian image
        '    statement: no PAM logins in the container',
        '  - id: CVE-2023-6378', // logback-classic and logback-core
        '    expired_at: 2026-05-31',
        '  - id: CVE-2099-0001', // matches nothing: stale
        '  - id: CVE-2025-4802',
        '    images: ["nginx:1.27"]', // scoped to an image not in the fleet: stale
        '',
      ].join('\n'),
      'b.json': openVex([
        {
          vulnerability: { name: 'CVE-2025-6020' },
          products: [{ '@id': 'pkg:deb/debian/libpam0g' }],
          status: 'under_investigation',
        },
      ]),
    });
    expect(loaded.errors).toEqual([]);
    const usage = createRuleUsage(loaded.rules, new Date('2026-06-15T00:00:00Z'), 3);
    for (const { image, findings } of fleet) usage.add(image, findings);
    const { uses, stale } = usage.report();
    const byWhere = Object.fromEntries(
      uses.map((u) => [
        `${u.rule.format}:${u.rule.vulnerability}:${u.rule.where.split(' ')[0]}`,
        u,
      ]),
    );

    const pam = byWhere['trivyignore:CVE-2025-6020:vulnerabilities[0]']!;
    expect(pam).toMatchObject({ matches: 4, accepted: 4 });
    expect(pam.examples).toHaveLength(3);
    expect(pam.examples[0]).toMatchObject({
      image: 'prometheus-mcp-server-security-scan:latest',
      id: 'CVE-2025-6020',
      effect: 'accepted',
    });

    const logback = byWhere['trivyignore:CVE-2023-6378:vulnerabilities[1]']!;
    expect(logback).toMatchObject({ matches: 2, accepted: 0 });
    expect(logback.examples.map((e) => `${e.pkg} ${e.effect}`)).toEqual([
      'ch.qos.logback:logback-classic expired',
      'ch.qos.logback:logback-core expired',
    ]);

    // The statement names libpam0g only; the trivyignore entry decides.
    const investigation = byWhere['openvex:CVE-2025-6020:statements[0]']!;
    expect(investigation).toMatchObject({ matches: 1, accepted: 0 });
    expect(investigation.examples[0]).toMatchObject({
      pkg: 'libpam0g',
      effect: 'under_investigation',
    });

    expect(stale.map((r) => r.vulnerability)).toEqual(['CVE-2099-0001', 'CVE-2025-4802']);
  });

  it('before expired_at the same entry accepts', async () => {
    const loaded = await loadDocs({
      'a.yaml': 'vulnerabilities:\n  - id: CVE-2023-6378\n    expired_at: 2026-05-31\n',
    });
    const usage = createRuleUsage(loaded.rules, new Date('2026-05-01T00:00:00Z'));
    for (const { image, findings } of fleet) usage.add(image, findings);
    expect(usage.report().uses[0]).toMatchObject({ matches: 2, accepted: 2 });
  });
});
