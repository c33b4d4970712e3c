import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPS, FindingSchema } from '../../pipeline/scan/finding.ts';
import { MAX_CAPTURE, MAX_DEPTH } from '../../pipeline/scan/json-tokenizer.ts';
import { createReportParser, parseReport } from '../../pipeline/scan/parse-report.ts';
import { TrivyReportSchema, readFindings } from '../../pipeline/scan/trivy-report.ts';
import { REPORTS } from '../helpers/standin.ts';

fc.configureGlobal({ numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261128) });

const REPORT = readFileSync(path.join(REPORTS, 'debian-buster.json'));
const whole = (bytes: Buffer) => readFindings(TrivyReportSchema.parse(JSON.parse(String(bytes))));
/** Feed `bytes` in the given pieces. */
function parseInPieces(bytes: Buffer, cuts: number[]) {
  const parser = createReportParser();
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    parser.write(bytes.subarray(from, at));
    from = at;
  }
  return parser.end();
}
const report = (vulnerabilities: unknown[], extra: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      SchemaVersion: 2,
      Results: [{ Target: 't', Vulnerabilities: vulnerabilities }],
      ...extra,
    }),
  );
const vuln = (fields: Record<string, unknown> = {}) => ({
  VulnerabilityID: 'CVE-1',
  PkgName: 'p',
  InstalledVersion: '1',
  Severity: 'HIGH',
  ...fields,
});

describe('the streaming report parser', () => {
  it('reads a real report the same whatever the chunk boundaries (every byte, and 1-byte chunks)', () => {
    const expected = { ok: true, findings: whole(REPORT), os: expect.any(Object) };
    expect(parseReport(REPORT)).toEqual(expected);
    // Multi-byte characters too: a title with é, ✓ and an emoji crosses every boundary.
    const text = Buffer.from(
      String(REPORT).replace('"Title": "bash:', '"Title": "é✓😀 \\u00e9\\ud83d\\ude00 bash:'),
    );
    const reference = parseReport(text);
    expect(reference.ok && reference.findings.some((f) => f.title?.startsWith('é✓😀 é😀'))).toBe(
      true,
    );
    for (let at = 0; at <= text.length; at++) expect(parseInPieces(text, [at])).toEqual(reference);
    expect(
      parseInPieces(
        text,
        Array.from({ length: text.length }, (_, i) => i),
      ),
    ).toEqual(reference);
  });

  it('reads the image OS from Metadata.OS', () => {
    expect(parseReport(REPORT)).toMatchObject({
      os: { family: 'debian', name: '10.1', eosl: false },
    });
    const eosl = report([], { Metadata: { OS: { Family: 'alpine', Name: '3.10.2', EOSL: true } } });
    expect(parseReport(eosl)).toMatchObject({
      os: { family: 'alpine', name: '3.10.2', eosl: true },
    });
  });

  it.each([
    [
      'Target after Vulnerabilities',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"CVE-1"}],"Target":"late"}]}',
      { findings: [expect.objectContaining({ target: 'late' })] },
    ],
    [
      'unknown keys and deep values skipped',
      `{"SchemaVersion":2,"X":${'['.repeat(5000)}${']'.repeat(5000)},"Results":null}`,
      { findings: [] },
    ],
    [
      '__proto__ as a CVSS source is dropped like zod drops it',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"CVE-1","CVSS":{"__proto__":{"V3Score":10},"nvd":{"V3Score":5}}}]}]}',
      { findings: [expect.objectContaining({ cvss: 5 })] },
    ],
    [
      'a V2 score when no source has V3',
      '{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"CVE-1","CVSS":{"a":{"V2Score":4.3},"b":{"V2Score":6.1}}}]}]}',
      { findings: [expect.objectContaining({ cvss: 6.1 })] },
    ],
  ] as const)('%s', (_title, json, expected) => {
    expect(parseReport(Buffer.from(json))).toMatchObject({ ok: true, ...expected });
  });

  it.each([
    [
      'an id longer than 512',
      vuln({ VulnerabilityID: 'C'.repeat(513) }),
      /Too big: expected string to have <=512 characters +→ at Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID/,
    ],
    [
      'a Title that is an object',
      vuln({ Title: { a: 1 } }),
      /expected string, received object +→ at Results\[0\]\.Vulnerabilities\[0\]\.Title$/,
    ],
    [
      'a reference that is a number',
      vuln({ References: ['https://x', 7] }),
      /expected string, received number +→ at Results\[0\]\.Vulnerabilities\[0\]\.References\[1\]$/,
    ],
    [
      'PkgIdentifier a string',
      vuln({ PkgIdentifier: 'pkg:deb/x' }),
      /expected object, received string +→ at Results\[0\]\.Vulnerabilities\[0\]\.PkgIdentifier$/,
    ],
    [
      'a number of 2000 digits',
      vuln({ CVSS: { nvd: { V3Score: 1 } } }),
      /received NaN +→ at Results\[0\]\.Vulnerabilities\[0\]\.CVSS\.nvd\.V3Score$/,
    ],
  ] as const)('fails a report with %s, saying where', (title, v, message) => {
    let bytes = report([v]);
    if (title.startsWith('a number'))
      bytes = Buffer.from(String(bytes).replace('"V3Score":1', `"V3Score":${'1'.repeat(2000)}`));
    const parsed = parseReport(bytes);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('keeps findings bounded: title, description and references cut, strings past 64 KiB read partly', () => {
    const refs = [
      ...Array.from({ length: 20 }, (_, i) => `https://r/${i}`),
      `https://${'x'.repeat(600)}`,
    ];
    const parsed = parseReport(
      report([
        vuln({
          Title: 'T'.repeat(10_000),
          Description: `${'d'.repeat(MAX_CAPTURE * 3)}\\n`,
          References: [`https://${'y'.repeat(600)}`, ...refs],
          PkgPath: 'usr/lib/node_modules/a/package.json',
          PkgIdentifier: { PURL: 'pkg:npm/a@1', UID: 'u' },
        }),
      ]),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [f] = parsed.findings;
    expect(FindingSchema.parse(f)).toEqual(f);
    expect(f!.title).toHaveLength(CAPS.short);
    expect(f!.title!.endsWith('…')).toBe(true);
    expect(f!.description).toHaveLength(CAPS.description);
    // Overlong references are dropped (a cut URL is a wrong URL), then the first 16 kept.
    expect(f!.references).toEqual(refs.slice(0, 16));
    expect(f).toMatchObject({
      purl: 'pkg:npm/a@1',
      pkgPath: 'usr/lib/node_modules/a/package.json',
    });
  });

  it('refuses nesting deeper than MAX_DEPTH as not JSON, without a stack overflow', () => {
    const deep = Buffer.from(`{"SchemaVersion":2,"X":${'['.repeat(MAX_DEPTH + 1)}`);
    expect(parseReport(deep)).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^trivy exited 0 but stdout is not JSON \(JSON nested deeper than 1000000 levels\)/,
      ),
    });
  });

  it('reports the first syntax error even after a shape error (the order a whole read has)', () => {
    const parsed = parseReport(Buffer.from('{"SchemaVersion":3,"Results":[}'));
    expect(parsed).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^trivy exited 0 but stdout is not JSON \(Unexpected token '\}' at position 30\)/,
      ),
    });
  });
});

// The oracle: what JSON.parse + the whole-report schema make of the same text.
const vulnerabilityArb = fc.record(
  {
    VulnerabilityID: fc.oneof(fc.constantFrom('CVE-1', 'CVE-2', 'GHSA-x', ''), fc.string()),
    PkgName: fc.oneof(fc.string(), fc.integer()),
    Severity: fc.constantFrom('CRITICAL', 'HIGH', 'LOW', 'weird'),
    FixedVersion: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null)),
    Title: fc.oneof(fc.string(), fc.constant(null)),
    Description: fc.string(),
    References: fc.oneof(
      fc.array(fc.webUrl(), { maxLength: 20 }),
      fc.array(fc.jsonValue(), { maxLength: 2 }),
    ),
    PkgIdentifier: fc.oneof(fc.record({ PURL: fc.string() }), fc.constant('x')),
    CVSS: fc.dictionary(
      fc.constantFrom('nvd', 'redhat', 'constructor', '__proto__'),
      fc.record(
        { V3Score: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()) },
        { requiredKeys: [] },
      ),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['VulnerabilityID'] },
);
const reportArb = fc.record(
  {
    SchemaVersion: fc.oneof(
      { arbitrary: fc.constant(2), weight: 6 },
      { arbitrary: fc.jsonValue(), weight: 1 },
    ),
    Metadata: fc.oneof(
      fc.constant(null),
      fc.record({ OS: fc.record({ Family: fc.string(), Name: fc.string(), EOSL: fc.boolean() }) }),
    ),
    Results: fc.oneof(
      fc.array(
        fc.record(
          {
            Target: fc.string(),
            Vulnerabilities: fc.oneof(
              fc.constant(null),
              fc.array(vulnerabilityArb, { maxLength: 4 }),
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

describe('property: the stream reads what a whole read reads', () => {
  it('same success, same findings, for report-like JSON in random pieces', () => {
    let ok = 0;
    fc.assert(
      fc.property(reportArb, fc.array(fc.nat(), { maxLength: 4 }), (r, cuts) => {
        const bytes = Buffer.from(JSON.stringify(r));
        const streamed = parseInPieces(
          bytes,
          cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b),
        );
        const reference = TrivyReportSchema.safeParse(JSON.parse(String(bytes)));
        expect(streamed.ok).toBe(reference.success);
        if (streamed.ok && reference.success) {
          ok += 1;
          expect(streamed.findings).toEqual(readFindings(reference.data));
        }
      }),
      { numRuns: 500 },
    );
    // Both branches are exercised.
    expect(ok).toBeGreaterThan(25);
    expect(ok).toBeLessThan(500);
  });
});
