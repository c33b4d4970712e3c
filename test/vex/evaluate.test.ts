import { describe, expect, it } from 'vitest';
import { createVexJudge } from '../../pipeline/vex/evaluate.ts';
import { loadDocs, openVex } from '../helpers/vex-docs.ts';
import { findingOf, readRealReport } from '../helpers/vex-fleet.ts';

// One real image (consumesafe, Trivy report from its public repository) and its KEV-listed
// finding CVE-2025-24813 in tomcat-embed-core; each row is one accepted-risk document and what
// it decides at one time.
const app = readRealReport('consumesafe-amazonlinux2');
const tomcat = findingOf(app.findings, 'CVE-2025-24813');
const DIGEST = 'sha256:60dc5ba916af59d90bcc7a5fc9c8af80eb7d33da9a952e9cdb45ee447c604302';
const OTHER = `sha256:${'0'.repeat(64)}`;
const TOMCAT = 'pkg:maven/org.apache.tomcat.embed/tomcat-embed-core';
const BEFORE = '2026-05-30T12:00:00Z';
const AFTER = '2026-05-31T00:00:01Z';

type Expect = null | { state: 'accepted' | 'expired'; where?: RegExp; expires?: string };
const ignore = (entry: string, head = '') =>
  `${head}vulnerabilities:\n  - id: CVE-2025-24813\n${entry}`;
const statement = (extra: object) => ({
  vulnerability: { name: 'CVE-2025-24813' },
  products: [
    { '@id': `pkg:oci/consumesafe@${DIGEST}?repository_url=docker.io/library/consumesafe` },
  ],
  status: 'not_affected',
  justification: 'vulnerable_code_not_in_execute_path',
  ...extra,
});

const cases: Array<[string, Record<string, string | object>, string, Expect]> = [
  ['trivyignore, no scope: every image', { 'a.yaml': ignore('') }, BEFORE, { state: 'accepted' }],
  [
    'expired_at ahead: accepted until then',
    { 'a.yaml': ignore('    expired_at: 2026-05-31\n    statement: upgrade planned\n') },
    BEFORE,
    { state: 'accepted', expires: '2026-05-31T00:00:00.000Z' },
  ],
  [
    'expired_at at this very instant: still accepted (Trivy: expired when before now)',
    { 'a.yaml': ignore('    expired_at: 2026-05-31\n') },
    '2026-05-31T00:00:00Z',
    { state: 'accepted' },
  ],
  [
    'expired_at passed: the finding is back, marked expired',
    { 'a.yaml': ignore('    expired_at: 2026-05-31\n') },
    AFTER,
    { state: 'expired', expires: '2026-05-31T00:00:00.000Z' },
  ],
  [
    'expired_at as an RFC 3339 time',
    { 'a.yaml': ignore('    expired_at: 2026-05-31T18:00:00+02:00\n') },
    '2026-05-31T16:00:01Z',
    { state: 'expired', expires: '2026-05-31T16:00:00.000Z' },
  ],
  [
    'file images: this repository',
    { 'a.yaml': ignore('', 'images: [consumesafe]\n') },
    BEFORE,
    { state: 'accepted' },
  ],
  ['file images: another image', { 'a.yaml': ignore('', 'images: [nginx]\n') }, BEFORE, null],
  [
    'file images: another tag',
    { 'a.yaml': ignore('', 'images: ["consumesafe:1.0"]\n') },
    BEFORE,
    null,
  ],
  [
    'file images: the image id',
    { 'a.yaml': ignore('', `images: ["${DIGEST}"]\n`) },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'file images: a repo digest of another build',
    { 'a.yaml': ignore('', `images: ["docker.io/library/consumesafe@${OTHER}"]\n`) },
    BEFORE,
    null,
  ],
  [
    'entry images override the file images',
    { 'a.yaml': ignore('    images: ["consumesafe:latest"]\n', 'images: [nginx]\n') },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'purls: the package, any version',
    { 'a.yaml': ignore(`    purls: ["${TOMCAT}"]\n`) },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'purls: another version',
    { 'a.yaml': ignore(`    purls: ["${TOMCAT}@10.1.17"]\n`) },
    BEFORE,
    null,
  ],
  [
    'purls: another package',
    { 'a.yaml': ignore('    purls: ["pkg:maven/org.example/other"]\n') },
    BEFORE,
    null,
  ],
  [
    'paths: a glob on PkgPath',
    { 'a.yaml': ignore('    paths: ["app/**/tomcat-embed-core-*.jar"]\n') },
    BEFORE,
    { state: 'accepted' },
  ],
  ['paths: elsewhere', { 'a.yaml': ignore('    paths: ["usr/lib/**"]\n') }, BEFORE, null],
  [
    'another vulnerability id',
    { 'a.yaml': 'vulnerabilities:\n  - id: CVE-2024-34750\n' },
    BEFORE,
    null,
  ],
  [
    'OpenVEX not_affected for this image digest',
    { 'a.json': openVex([statement({})]) },
    BEFORE,
    { state: 'accepted', where: /statements\[0\]/ },
  ],
  [
    'OpenVEX fixed',
    { 'a.json': openVex([statement({ status: 'fixed', justification: undefined })]) },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'OpenVEX for another image',
    { 'a.json': openVex([statement({ products: [{ '@id': `pkg:oci/consumesafe@${OTHER}` }] })]) },
    BEFORE,
    null,
  ],
  [
    'OpenVEX under_investigation does not accept',
    { 'a.json': openVex([statement({ status: 'under_investigation', justification: undefined })]) },
    BEFORE,
    null,
  ],
  [
    'OpenVEX affected does not accept',
    {
      'a.json': openVex([
        statement({ status: 'affected', justification: undefined, action_statement: 'upgrade' }),
      ]),
    },
    BEFORE,
    null,
  ],
  [
    'OpenVEX: a newer under_investigation takes an acceptance back',
    {
      'a.json': openVex([
        statement({ timestamp: '2026-01-01T00:00:00Z' }),
        statement({
          status: 'under_investigation',
          justification: undefined,
          timestamp: '2026-02-01T00:00:00Z',
        }),
      ]),
    },
    BEFORE,
    null,
  ],
  [
    'OpenVEX: a newer not_affected settles an investigation',
    {
      'a.json': openVex([
        statement({
          status: 'under_investigation',
          justification: undefined,
          timestamp: '2026-01-01T00:00:00Z',
        }),
        statement({ timestamp: '2026-02-01T00:00:00Z' }),
      ]),
    },
    BEFORE,
    { state: 'accepted', where: /statements\[1\]/ },
  ],
  [
    'OpenVEX product is the package (any image)',
    { 'a.json': openVex([statement({ products: [{ '@id': `${TOMCAT}@10.1.16` }] })]) },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'OpenVEX image with the package as subcomponent',
    {
      'a.json': openVex([
        statement({
          products: [
            { '@id': `pkg:oci/consumesafe@${DIGEST}`, subcomponents: [{ '@id': TOMCAT }] },
          ],
        }),
      ]),
    },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'OpenVEX image with another subcomponent',
    {
      'a.json': openVex([
        statement({
          products: [
            {
              '@id': `pkg:oci/consumesafe@${DIGEST}`,
              subcomponents: [{ '@id': 'pkg:maven/org.example/other' }],
            },
          ],
        }),
      ]),
    },
    BEFORE,
    null,
  ],
  [
    'OpenVEX pkg:docker by tag',
    {
      'a.json': openVex([
        statement({
          products: [{ '@id': 'pkg:docker/consumesafe@latest?repository_url=index.docker.io' }],
        }),
      ]),
    },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'OpenVEX pkg:docker by image id prefix',
    {
      'a.json': openVex([
        statement({ products: [{ '@id': 'pkg:docker/consumesafe@60dc5ba916af' }] }),
      ]),
    },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'OpenVEX pkg:docker of another registry',
    {
      'a.json': openVex([
        statement({
          products: [{ '@id': 'pkg:docker/consumesafe@latest?repository_url=ghcr.io' }],
        }),
      ]),
    },
    BEFORE,
    null,
  ],
  [
    'OpenVEX by alias (the scanner reports the CVE, the statement names the GHSA)',
    {
      'a.json': openVex([
        statement({ vulnerability: { name: 'GHSA-83qj-6fr2-vhqg', aliases: ['CVE-2025-24813'] } }),
      ]),
    },
    BEFORE,
    { state: 'accepted' },
  ],
  [
    'an expired entry and a standing OpenVEX statement: accepted',
    { 'a.yaml': ignore('    expired_at: 2026-05-31\n'), 'b.json': openVex([statement({})]) },
    AFTER,
    { state: 'accepted', where: /statements\[0\]/ },
  ],
];

describe('accepted-risk verdicts on a real finding', () => {
  it.each(cases)('%s', async (_, docs, now, expected) => {
    const loaded = await loadDocs(docs);
    expect(loaded.errors).toEqual([]);
    const verdict = createVexJudge(loaded.rules).evaluate(app.image, tomcat, new Date(now));
    if (expected === null) return expect(verdict).toBeNull();
    expect(verdict?.state).toBe(expected.state);
    if (expected.where) expect(verdict!.rule.where).toMatch(expected.where);
    const expiry = verdict?.state === 'expired' ? verdict.expiredAt : verdict?.expiresAt;
    if (expected.expires) expect(expiry).toBe(expected.expires);
  });

  it('a finding without a purl is not accepted by an entry narrowed to purls', async () => {
    const loaded = await loadDocs({ 'a.yaml': ignore(`    purls: ["${TOMCAT}"]\n`) });
    const { purl: _, ...bare } = tomcat;
    const judge = createVexJudge(loaded.rules);
    expect(judge.evaluate(app.image, tomcat, new Date(BEFORE))?.state).toBe('accepted');
    expect(judge.evaluate(app.image, bare, new Date(BEFORE))).toBeNull();
  });

  it('deb purls with qualifiers: a pattern names what it states, nothing more', async () => {
    const deb = readRealReport('prometheus-mcp-server');
    const libc = findingOf(deb.findings, 'CVE-2025-4802', 'libc6');
    const judge = async (purl: string) =>
      createVexJudge(
        (
          await loadDocs({
            'a.yaml': `vulnerabilities:\n  - id: CVE-2025-4802\n    purls: ["${purl}"]\n`,
          })
        ).rules,
      ).evaluate(deb.image, libc, new Date(BEFORE))?.state ?? null;
    expect(await judge('pkg:deb/debian/libc6')).toBe('accepted');
    expect(await judge('pkg:deb/debian/libc6@2.36-9%2Bdeb12u10')).toBe('accepted');
    expect(await judge('pkg:deb/debian/libc6?arch=arm64')).toBe('accepted');
    expect(await judge('pkg:deb/debian/libc6?arch=amd64')).toBeNull();
    expect(await judge('pkg:deb/debian/libc-bin')).toBeNull();
  });

  it('the statement, justification and source file come with the verdict', async () => {
    const loaded = await loadDocs({
      'a.json': openVex([statement({ impact_statement: 'The vulnerable servlet is not mapped.' })]),
    });
    const verdict = createVexJudge(loaded.rules).evaluate(app.image, tomcat, new Date(BEFORE));
    expect(verdict).toMatchObject({
      state: 'accepted',
      rule: {
        format: 'openvex',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        statement: 'The vulnerable servlet is not mapped.',
        where: 'statements[0] (line 8)',
        line: 8,
      },
    });
    expect(verdict!.rule.file).toMatch(/a\.json$/);
  });
});
