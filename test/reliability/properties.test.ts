import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiContainerSchema } from '../../pipeline/docker/api-schema.ts';
import { classifyFailure } from '../../pipeline/scan/classify.ts';
import { parseReport } from '../../pipeline/scan/parse-report.ts';
import { ANCHOR_TYPES, FAILURE_CODES, ROLES, SEVERITIES } from '../../pipeline/vocabulary.ts';
import {
  FindingSchema,
  ScanSummarySchema,
  TrivyReportSchema,
  readFindings,
  summarize,
  type Finding,
} from '../../pipeline/scan/trivy-report.ts';
import { readDockpeekLabels } from '../../pipeline/snapshot/labels.ts';
import { mapContainer } from '../../pipeline/snapshot/map-container.ts';
import { resolveOrchestration } from '../../pipeline/snapshot/orchestration.ts';
import { ContainerSchema, type Container } from '../../pipeline/snapshot/schema.ts';

// Property-based tests: the parsers and resolvers that see untrusted input never throw and always
// end in a valid state or a clear failure. Fixed seed, so a run is repeatable; FC_SEED=<n> explores.
fc.configureGlobal({ numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) });

// eslint-disable-next-line no-control-regex
const FORMAT_OR_CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/u;

/** Anything at all, including the odd JavaScript values JSON never produces. */
const anyValue = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
});
/** A JSON value of the wrong type for any field. */
const wrongJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string(),
  fc.array(fc.jsonValue(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }),
);
const mostly = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof(
    { arbitrary: good, weight: 6 },
    { arbitrary: wrongJson as fc.Arbitrary<unknown>, weight: 1 },
  );

const cvss = fc.dictionary(
  fc.constantFrom('nvd', 'redhat', 'ghsa', '__proto__', 'constructor'),
  mostly(
    fc.record(
      {
        V3Score: mostly(fc.double({ min: 0, max: 10, noNaN: true })),
        V2Score: mostly(fc.double({ min: 0, max: 10, noNaN: true })),
      },
      { requiredKeys: [] },
    ),
  ),
  { maxKeys: 3 },
);
/** A vulnerability close to Trivy's, each field now and then of the wrong type or missing. */
const vulnerability = fc.record(
  {
    VulnerabilityID: mostly(
      fc.constantFrom('CVE-2024-1', 'CVE-2024-2', 'GHSA-x', 'CVE-2024-3', ''),
    ),
    PkgName: mostly(fc.constantFrom('openssl', 'bash', 'libc6', '')),
    InstalledVersion: mostly(fc.string()),
    FixedVersion: mostly(fc.constantFrom('1.2.3', '', '2.0, 2.1')),
    Status: mostly(fc.constantFrom('fixed', 'affected', 'will_not_fix')),
    Severity: mostly(
      fc.constantFrom(
        'CRITICAL',
        'HIGH',
        'MEDIUM',
        'LOW',
        'UNKNOWN',
        'high',
        'Bogus',
        'constructor',
        '__proto__',
      ),
    ),
    Title: mostly(fc.string()),
    PrimaryURL: mostly(fc.webUrl()),
    PublishedDate: mostly(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    CVSS: mostly(cvss),
  },
  { requiredKeys: ['VulnerabilityID'] },
);
const result = fc.record(
  {
    Target: mostly(fc.string()),
    Class: mostly(fc.constantFrom('os-pkgs', 'lang-pkgs')),
    Type: mostly(fc.constantFrom('debian', 'npm')),
    Vulnerabilities: mostly(fc.option(fc.array(mostly(vulnerability), { maxLength: 6 }))),
  },
  { requiredKeys: [] },
);
/** A report close to a real one, with random field types here and there. */
const reportLike = fc.record(
  {
    SchemaVersion: fc.oneof(
      { arbitrary: fc.constant(2), weight: 8 },
      { arbitrary: wrongJson, weight: 1 },
    ),
    ArtifactName: mostly(fc.string()),
    Results: mostly(fc.option(fc.array(mostly(result), { maxLength: 4 }))),
  },
  { requiredKeys: [] },
);

/** Check a parsed report the way the scan uses it, against counts taken from the raw JSON. */
function checkParsed(findings: Finding[], raw: any): void {
  const summary = summarize(findings);
  expect(ScanSummarySchema.parse(summary)).toEqual(summary);
  const counts = Object.values(summary.counts);
  for (const n of [...counts, summary.findings, summary.uniqueCves, summary.fixable])
    expect(Number.isInteger(n) && n >= 0).toBe(true);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(summary.findings);
  expect(summary.findings).toBe(findings.length);
  expect(summary.uniqueCves).toBeLessThanOrEqual(summary.findings);
  expect(summary.uniqueCves > 0).toBe(summary.findings > 0);
  expect(summary.fixable).toBeLessThanOrEqual(summary.findings);
  // Independent oracle: the raw JSON's own vulnerabilities.
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    // Another SchemaVersion may move fields; reading it as version 2 could show zero findings.
    expect(raw.SchemaVersion).toBe(2);
    const vulns: any[] = (Array.isArray(raw.Results) ? raw.Results : []).flatMap((r: any) =>
      Array.isArray(r?.Vulnerabilities) ? r.Vulnerabilities : [],
    );
    expect(summary.findings).toBe(vulns.length);
    expect(summary.uniqueCves).toBe(new Set(vulns.map((v) => v.VulnerabilityID)).size);
    expect(summary.fixable).toBe(
      vulns.filter((v) => Object.hasOwn(v, 'FixedVersion') && v.FixedVersion !== '').length,
    );
  }
  // Most severe first, and what is stored survives JSON unchanged.
  const ranks = findings.map((f) => SEVERITIES.indexOf(f.severity));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  expect(FindingSchema.array().parse(JSON.parse(JSON.stringify(findings)))).toEqual(findings);
}

function checkOutcome(stdout: Uint8Array, raw?: unknown): void {
  const parsed = parseReport(stdout);
  if (parsed.ok) {
    checkParsed(parsed.findings, raw);
    return;
  }
  expect(parsed.message).toMatch(
    /^trivy( exited 0 but stdout is not (JSON \(.+\)|valid UTF-8 text); it began: ".*"|'s JSON is not a report: ✖ .+)$/s,
  );
  expect(parsed.message.length).toBeLessThanOrEqual(700);
}

describe('property: reading trivy stdout never throws and ends valid or clearly failed', () => {
  it('arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => checkOutcome(b)));
  });

  it('arbitrary strings, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) =>
        checkOutcome(Buffer.from(s)),
      ),
    );
  });

  it('arbitrary JSON text (fc.json)', () => {
    fc.assert(fc.property(fc.json(), (s) => checkOutcome(Buffer.from(s), JSON.parse(s))));
  });

  it('arbitrary values as JSON (fc.anything)', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        let text: string | undefined;
        try {
          text = JSON.stringify(v);
        } catch {
          return; // BigInt: not something JSON can carry
        }
        checkOutcome(Buffer.from(text ?? ''), text === undefined ? undefined : JSON.parse(text));
      }),
    );
  });

  it('arbitrary values straight into the schema (fc.anything)', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const parsed = TrivyReportSchema.safeParse(v);
        if (parsed.success) checkParsed(readFindings(parsed.data), undefined);
      }),
    );
  });

  it('report-shaped JSON with random field types', () => {
    let valid = 0;
    fc.assert(
      fc.property(reportLike, (r) => {
        const text = JSON.stringify(r);
        const raw = JSON.parse(text);
        checkOutcome(Buffer.from(text), raw);
        if (parseReport(Buffer.from(text)).ok) valid += 1;
      }),
      { numRuns: 500 },
    );
    // Both branches are exercised, not just the failure one.
    expect(valid).toBeGreaterThan(25);
    expect(valid).toBeLessThan(500);
  });

  it('a valid report with a byte flipped to invalid UTF-8 always fails as not UTF-8', () => {
    fc.assert(
      fc.property(reportLike, fc.nat(), fc.constantFrom(0x80, 0xc0, 0xff, 0xfe), (r, at, byte) => {
        const bytes = Buffer.from(JSON.stringify(r));
        bytes[at % bytes.length] = byte;
        const parsed = parseReport(bytes);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok)
          expect(parsed.message).toMatch(/^trivy exited 0 but stdout is not valid UTF-8/);
      }),
    );
  });
});

const fatalLine = fc
  .tuple(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('FATAL', 'FATAL\tFatal error\t', ' FATAL ', 'FATAL\n'),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.array(
      fc.string({ maxLength: 20 }).map((s) => `\t* ${s}`),
      { maxLength: 3 },
    ),
  )
  .map(([before, fatal, after, details]) => [`${before}${fatal}${after}`, ...details].join('\n'));
const stderrArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('', ' ', '\n\n', 'FATAL', '\tFATAL\t\n', 'x'.repeat(5000)),
  fatalLine,
  fc.tuple(fc.string(), fatalLine, fc.string()).map((parts) => parts.join('\n')),
);

describe('property: classifyFailure', () => {
  it('always returns a known code and a non-empty, bounded message', () => {
    fc.assert(
      fc.property(stderrArb, fc.option(fc.integer(), { nil: undefined }), (stderr, code) => {
        const failure = classifyFailure(stderr, code);
        expect(FAILURE_CODES).toContain(failure.code);
        expect(typeof failure.message).toBe('string');
        expect(failure.message.trim().length).toBeGreaterThan(0);
        expect(failure.message.length).toBeLessThanOrEqual(2000);
      }),
      { numRuns: 500 },
    );
  });

  it('a FATAL line saying the image is missing is image_unavailable, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !/FATAL/.test(s)),
        fc.string({ unit: 'binary' }),
        (before, after) => {
          const stderr = `${before}\n2026-11-25T10:00:00Z\tFATAL\trun error: No such image: x ${after.replace(/\n/g, ' ')}\n`;
          expect(classifyFailure(stderr, 1).code).toBe('image_unavailable');
        },
      ),
    );
  });
});

// Orchestration: containers drawn from a small pool of names so anchors collide and cycle.
const POOL = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
const idOf = (name: string) => createHash('sha256').update(name).digest('hex');
const labels = fc.record(
  {
    'dockpeek.role': fc.constantFrom(...ROLES, ' Anchor ', 'boss', ''),
    'dockpeek.anchor': fc.constantFrom(...POOL, '/a', 'ghost', '<x>', '', '/'),
    'dockpeek.anchor-type': fc.constantFrom(...ANCHOR_TYPES, 'vpn'),
    'dockpeek.hide': fc.constantFrom('true', 'false', 'maybe'),
    'dockpeek.stack': fc.string({ maxLength: 8 }),
    'com.docker.compose.project': fc.constantFrom('p', 'q'),
    'com.docker.compose.service': fc.constantFrom(...POOL),
    'com.docker.compose.depends_on': fc
      .array(fc.constantFrom(...POOL, 'gone'), { maxLength: 3 })
      .map((s) => s.map((x) => `${x}:service_started:false`).join(',')),
  },
  { requiredKeys: [] },
);
const network = fc.option(
  fc.oneof(
    fc.constantFrom(...POOL).map((n) => idOf(n)),
    fc.constantFrom(...POOL).map((n) => idOf(n).slice(0, 12)),
    fc.constantFrom(...POOL),
    fc.constant('f'.repeat(64)),
  ),
  { nil: undefined },
);
const fleet = fc.uniqueArray(fc.record({ name: fc.constantFrom(...POOL), labels, network }), {
  selector: (c) => c.name,
  minLength: 1,
  maxLength: POOL.length,
});

function resolveFleet(
  entries: Array<{
    name: string;
    id?: string;
    labels: Record<string, string>;
    network?: string | undefined;
  }>,
): Container[] {
  const mapped = entries.map((e) =>
    mapContainer(
      'lab',
      ApiContainerSchema.parse({
        Id: e.id ?? idOf(e.name),
        Names: [`/${e.name}`],
        Image: 'busybox',
        ImageID: 'sha256:1',
        State: 'running',
        Status: 'Up',
        Labels: e.labels,
        HostConfig: { NetworkMode: e.network ? `container:${e.network}` : 'bridge' },
      }),
      new Map(),
      undefined,
    ),
  );
  return resolveOrchestration('lab', mapped);
}

describe('property: resolveOrchestration', () => {
  it('keeps anchors, dependents and cycles consistent, and says so whenever something is off', () => {
    fc.assert(
      fc.property(fleet, (entries) => {
        const out = resolveFleet(entries);
        const byName = new Map(out.map((c) => [c.name, c]));
        expect(byName.size).toBe(out.length);
        expect(out.length).toBe(
          entries.filter((e) => e.labels['dockpeek.hide']?.trim() !== 'true').length,
        );
        for (const c of out) {
          const o = c.orchestration;
          expect(ContainerSchema.parse(c)).toEqual(c);
          expect(new Set(o.warnings).size).toBe(o.warnings.length);
          expect(o.anchor).not.toBe(c.name);
          if (o.anchor && !byName.has(o.anchor))
            expect(o.warnings).toContainEqual(
              expect.stringMatching(
                new RegExp(
                  `^anchor "${o.anchor}" (does not exist on host lab|is hidden \\(dockpeek\\.hide=true\\))$`,
                ),
              ),
            );
          const expected = out
            .filter((d) => d.orchestration.anchor === c.name)
            .map((d) => d.name)
            .sort();
          expect(o.dependents).toEqual(expected);
          if (o.role === 'dependent' && !o.anchor) expect(o.warnings.length).toBeGreaterThan(0);
          if (o.role === 'standalone' && o.anchor)
            expect(o.warnings).toContain(
              `labelled standalone, but dockpeek.anchor names ${o.anchor}`,
            );
          if (o.role === 'standalone' && o.dependents.length > 0)
            expect(o.warnings).toContainEqual(
              expect.stringMatching(/^labelled standalone, but \d+ container/),
            );
          if (o.inferred && o.anchor)
            expect(['network', 'service', 'database']).toContain(o.anchorType);
          // On a cycle among the visible containers: it must carry the cycle warning.
          let next = o.anchor;
          for (let hops = 0; next && hops <= out.length; hops++) {
            if (next === c.name) {
              expect(o.warnings).toContainEqual(
                expect.stringMatching(new RegExp(`^dependency cycle: ${c.name} → .* → ${c.name}$`)),
              );
              break;
            }
            next = byName.get(next)?.orchestration.anchor ?? null;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary names and labels, and stores only clean dockpeek.* values', () => {
    const anyEntry = fc.record({
      name: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...POOL)),
      labels: fc.dictionary(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `dockpeek.${s}`),
          fc.constantFrom('dockpeek.role', 'dockpeek.anchor'),
        ),
        fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(...POOL, 'anchor', 'dependent')),
        { maxKeys: 6 },
      ),
      network: network,
    });
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 6 }), (entries) => {
        const out = resolveFleet(entries.map((e, i) => ({ ...e, id: `${i}`.padStart(64, '0') })));
        for (const c of out) {
          expect(ContainerSchema.parse(c)).toEqual(c);
          expect(c.name.length).toBeGreaterThan(0);
          expect(c.name.length).toBeLessThanOrEqual(200);
          expect(c.name).not.toMatch(FORMAT_OR_CONTROL);
          for (const [key, value] of Object.entries(c.labels)) {
            expect(key.startsWith('dockpeek.')).toBe(true);
            expect(value.length).toBeLessThanOrEqual(200);
            expect(key + value).not.toMatch(FORMAT_OR_CONTROL);
          }
        }
      }),
    );
  });

  it('readDockpeekLabels: any labels give valid fields or a warning', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(
            fc.string(),
            fc.constantFrom(
              'dockpeek.role',
              'dockpeek.anchor',
              'dockpeek.anchor-type',
              'dockpeek.hide',
            ),
          ),
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.constantFrom(...ROLES, ...ANCHOR_TYPES, 'true', 'a', '/', ' /a ', 'A-1'),
          ),
        ),
        (all) => {
          const result = readDockpeekLabels(all);
          expect(Object.keys(result.stored).length).toBeLessThanOrEqual(32);
          if (result.role) expect(ROLES).toContain(result.role);
          if (result.anchorType) expect(ANCHOR_TYPES).toContain(result.anchorType);
          if (result.anchor) expect(result.anchor).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
          for (const key of ['dockpeek.role', 'dockpeek.anchor', 'dockpeek.anchor-type'] as const) {
            const raw = result.stored[key]?.trim();
            const read = {
              'dockpeek.role': result.role,
              'dockpeek.anchor': result.anchor,
              'dockpeek.anchor-type': result.anchorType,
            }[key];
            // A non-empty value either was understood or is named in a warning.
            if (raw && !read) expect(result.warnings.some((w) => w.includes(key))).toBe(true);
          }
        },
      ),
    );
  });
});
