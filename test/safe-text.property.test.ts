import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutput, outputLine } from '../pipeline/cli/output.ts';
import { ApiContainerSchema } from '../pipeline/docker/api-schema.ts';
import { classifyError, cleanRemoteText } from '../pipeline/docker/host-failure.ts';
import { toFeedFailure } from '../pipeline/feeds/feed-error.ts';
import { KevCatalogSchema } from '../pipeline/feeds/kev-schema.ts';
import { assembleEvents } from '../pipeline/notify/assemble-events.ts';
import type { NotifyEvent } from '../pipeline/notify/events.ts';
import { formatBatch } from '../pipeline/notify/format-batch.ts';
import { postBounded } from '../pipeline/notify/http-post.ts';
import { renderBody, renderTitle } from '../pipeline/notify/message.ts';
import type { ImageView } from '../pipeline/notify/observe.ts';
import type { Redacted } from '../pipeline/notify/redact.ts';
import { NTFY_LIMITS } from '../pipeline/notify/send-http.ts';
import { buildWebhookBody } from '../pipeline/notify/webhook-body.ts';
import {
  cleanLine,
  escapeUnsafe,
  logText,
  oneLine,
  plainBlock,
  plainText,
  shorten,
} from '../pipeline/safe-text.ts';
import { classifyFailure } from '../pipeline/scan/classify.ts';
import { imageRefProblem } from '../pipeline/scan/image-identity.ts';
import { excerpt, parseReport } from '../pipeline/scan/parse-report.ts';
import { createScanProgress } from '../pipeline/scan/scan-progress.ts';
import { finishedRecord } from '../pipeline/scan/scan-records.ts';
import { TrivyReportSchema, readFindings, type Finding } from '../pipeline/scan/trivy-report.ts';
import { toFindingRow } from '../pipeline/site/model/findings.ts';
import { mapContainer } from '../pipeline/snapshot/map-container.ts';
import { resolveOrchestration } from '../pipeline/snapshot/orchestration.ts';
import { loadVexRules } from '../pipeline/vex/load-rules.ts';
import { SEVERITIES } from '../pipeline/vocabulary.ts';

// No bidi control, zero-width, tag or control character survives any path from outside to a
// page, a log line or a notification: the safe-text functions over any string, then the real
// functions that turn Docker answers, Trivy reports, feeds, rules and receivers' answers into
// what is stored, shown, printed and sent. Fixed seed; FC_SEED=<n> explores.
fc.configureGlobal({ numRuns: 300, seed: Number(process.env.FC_SEED ?? 20261125) });

// The set docs/security.md lists, written out here rather than imported from safe-text.ts.
const RANGES: Array<[number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];
const DANGEROUS = RANGES.flatMap(([from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)),
);
const dangerous = new Set(DANGEROUS);

/** Every string in a value, object keys included, with where it is. */
function* strings(value: unknown, at = '$'): Generator<[string, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value))
    for (const [i, v] of value.entries()) yield* strings(v, `${at}[${i}]`);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      yield [`${at} key`, k];
      yield* strings(v, `${at}.${k}`);
    }
}

/**
 * No unsafe character anywhere in `value`; a line break only in the fields `blocks` names: by
 * name anywhere ("description"), or by exact path ("$.message").
 */
function expectClean(value: unknown, blocks: string[] = []): void {
  for (const [at, text] of strings(value)) {
    const block = blocks.some((b) => (b.startsWith('$') ? at === b : at.endsWith(`.${b}`)));
    const bad = [...text].filter((c) => dangerous.has(c) && !(block && c === '\n'));
    expect(bad, `${at} = ${JSON.stringify(text)}`).toEqual([]);
  }
}

// Any text, and text made mostly of the dangerous set mixed with escape sequences and markup.
const piece = fc.oneof(
  fc.constantFrom(...DANGEROUS),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('\u001b[2J', '\u001b]8;;https://evil.example\u0007', '\r\n', '<b>', 'CVE-1', ' '),
);
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
);
const severity = fc.constantFrom(...SEVERITIES);

describe('the safe-text functions, over any string', () => {
  it('leave no unsafe character: lines none, blocks only "\\n"', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 80 }), (text, max) => {
        expectClean([plainText(text), oneLine(text), cleanLine(text, max), escapeUnsafe(text)]);
        expectClean(logText(text).split('\n'));
        expectClean({ block: plainBlock(text) }, ['$.block']);
      }),
    );
  });

  it('never lengthen, keep clean text as it is, and are stable', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 80 }), (text, max) => {
        expect(plainText(text).length).toBeLessThanOrEqual(text.length);
        expect(plainBlock(text).length).toBeLessThanOrEqual(text.length);
        for (const f of [plainText, plainBlock, oneLine]) expect(f(f(text))).toBe(f(text));
        const clean = plainText(text);
        expect(escapeUnsafe(clean)).toBe(clean);
        expect(cleanLine(text, max).length).toBeLessThanOrEqual(max + 1);
        expect(shorten(text, max)).not.toMatch(/[\ud800-\udbff]…$/);
        // A forged line is indented: only the first line of a log entry starts at its margin.
        for (const line of logText(text).split('\n').slice(1)) expect(line).toMatch(/^ {2}/);
      }),
    );
  });
});

// A Docker API list entry with hostile text in every field the snapshot keeps.
const apiContainer = fc.record({
  Id: fc.constant('a'.repeat(64)),
  Names: fc.array(
    hostile.map((n) => `/${n}`),
    { minLength: 1, maxLength: 2 },
  ),
  Image: hostile,
  ImageID: hostile,
  State: hostile,
  Status: hostile,
  Health: fc.record({ Status: hostile }),
  Ports: fc.array(fc.record({ IP: hostile, PrivatePort: fc.nat(65535), Type: hostile }), {
    maxLength: 2,
  }),
  Labels: fc
    .tuple(
      fc.dictionary(
        fc.constantFrom(
          'dockpeek.role',
          'dockpeek.anchor',
          'dockpeek.anchor-type',
          'dockpeek.stack',
          'dockpeek.hide',
          'com.docker.compose.project',
          'com.docker.compose.service',
          'com.docker.stack.namespace',
          'org.opencontainers.image.source',
        ),
        hostile,
      ),
      fc.dictionary(
        hostile.map((k) => `dockpeek.${k}`),
        hostile,
        { maxKeys: 3 },
      ),
    )
    .map(([known, other]) => ({ ...other, ...known })),
  HostConfig: fc.record({ NetworkMode: hostile }),
  NetworkSettings: fc.record({ Networks: fc.dictionary(hostile, fc.constant({}), { maxKeys: 2 }) }),
});
type RawContainer = typeof apiContainer extends fc.Arbitrary<infer T> ? T : never;

/** The snapshot's path: the API schema, mapContainer, resolveOrchestration. */
function snapshotOf(raw: RawContainer, startedAt: string) {
  const mapped = mapContainer(
    'lab',
    ApiContainerSchema.parse(raw),
    new Map([[raw.ImageID, [`${raw.Image}@sha256:${raw.ImageID}`]]]),
    { State: { StartedAt: startedAt } },
  );
  return { mapped, containers: resolveOrchestration('lab', [mapped]) };
}

// A Trivy vulnerability with hostile text in every field a finding keeps.
const vulnerability = fc.record(
  {
    VulnerabilityID: hostile.filter((id) => id.length > 0),
    PkgName: hostile,
    PkgPath: hostile,
    PkgIdentifier: fc.record({ PURL: hostile }),
    InstalledVersion: hostile,
    FixedVersion: hostile,
    Status: hostile,
    Severity: fc.oneof(fc.constantFrom('CRITICAL', 'LOW'), hostile),
    Title: hostile,
    Description: hostile,
    PrimaryURL: hostile,
    PublishedDate: hostile,
    References: fc.array(hostile, { maxLength: 3 }),
  },
  { requiredKeys: ['VulnerabilityID'] },
);
const report = fc.record({
  SchemaVersion: fc.constant(2),
  Metadata: fc.record({ OS: fc.record({ Family: hostile, Name: hostile }) }),
  Results: fc.array(
    fc.record({ Target: hostile, Vulnerabilities: fc.array(vulnerability, { maxLength: 3 }) }),
    { maxLength: 2 },
  ),
});
/** A finding as a store could hold it, hostile in every field notify lists. */
const storedFinding = fc.record({
  id: hostile,
  pkg: hostile,
  installed: hostile,
  fixed: hostile,
  severity,
  title: hostile,
  target: hostile,
}) as fc.Arbitrary<Finding>;

describe('every path from outside, with hostile text', () => {
  it('a container name, labels, image and state: Docker API → snapshot', () => {
    fc.assert(
      fc.property(apiContainer, hostile, (raw, startedAt) => {
        const { mapped, containers } = snapshotOf(raw, startedAt);
        expectClean(mapped);
        expectClean(containers);
      }),
    );
  });

  it("a host's error: classifyError and cleanRemoteText", () => {
    const codes = fc.constantFrom(undefined, 'ENOTFOUND', 'HPE_INVALID_CONSTANT', 'EPROTO');
    fc.assert(
      fc.property(hostile, codes, (message, code) => {
        expectClean(classifyError(Object.assign(new Error(message), code && { code })));
        expectClean(cleanRemoteText(message, 60));
      }),
    );
  });

  it('a Trivy report → findings (streaming reader and schema) → site rows', () => {
    fc.assert(
      fc.property(report, (json) => {
        const outcome = parseReport(Buffer.from(JSON.stringify(json)));
        expectClean(outcome, ['description']);
        const parsed = TrivyReportSchema.safeParse(json);
        const findings = parsed.success ? readFindings(parsed.data) : [];
        expectClean(findings, ['description']);
        if (outcome.ok) expectClean(outcome.findings.map((f) => toFindingRow(f, () => true)));
      }),
    );
  });

  it("Trivy's stderr and any scan failure → the stored record; quoted references", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expectClean(classifyFailure(text, 1), ['message']);
        const job = { key: 'k', imageId: '', ref: 'nginx:1', host: 'lab', containers: 1 };
        const failure = { code: 'scan_failed' as const, message: text };
        const record = finishedRecord(
          job,
          { ok: false, error: failure, durationMs: 0 },
          new Date(0),
          {
            failedTtlMs: 1,
          },
        );
        expectClean(record, ['message']);
        expectClean([excerpt(text), imageRefProblem(text) ?? '']);
      }),
    );
  });

  it('a notification: container, findings, scan and host failures → events → messages', () => {
    const detectedAt = '2026-01-01T00:00:00.000Z';
    fc.assert(
      fc.property(
        apiContainer,
        fc.array(storedFinding, { minLength: 1, maxLength: 3 }),
        hostile,
        (raw, findings, failure) => {
          const [container] = snapshotOf(raw, '').containers;
          expect(container).toBeDefined();
          const image = (scan: ImageView['scan']): ImageView => ({
            host: 'lab',
            ref: container!.image,
            containers: [container!],
            keys: [container!.imageId],
            scan,
            update: { state: 'none' },
          });
          const events: NotifyEvent[] = [
            ...assembleEvents(
              [
                { kind: 'new_findings', image: image({ state: 'unknown' }), findings },
                { kind: 'fix_available', image: image({ state: 'unknown' }), findings },
                {
                  kind: 'scan_failed',
                  image: image({ state: 'unknown' }),
                  code: 'scan_failed',
                  message: failure,
                },
                { kind: 'anchor_update', image: image({ state: 'unknown' }) },
              ],
              detectedAt,
            ),
            {
              kind: 'host_down',
              id: 'h',
              detectedAt,
              host: 'lab',
              error: classifyError(new Error(failure)).message,
            },
          ];
          for (const message of formatBatch(events, { publicUrl: 'https://dash.example/' })) {
            const title = renderTitle(message, NTFY_LIMITS);
            const body = renderBody(message, NTFY_LIMITS);
            expectClean(title);
            expectClean({ body }, ['$.body']);
            expectClean(buildWebhookBody(message, title, body, new Date(0)), ['$.message']);
          }
        },
      ),
    );
  });

  describe("a receiver's answer → the send failure", () => {
    let server: Server;
    let answer = '';
    beforeAll(async () => {
      server = createServer((_req, res) => res.writeHead(500).end(answer));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    it('postBounded', async () => {
      const { port } = server.address() as AddressInfo;
      const limits = {
        timeoutMs: 5000,
        maxResponseBytes: 1 << 16,
        redact: (t: string) => t as Redacted,
      };
      await fc.assert(
        fc.asyncProperty(hostile, async (text) => {
          answer = text;
          const result = await postBounded(new URL(`http://127.0.0.1:${port}/`), {}, '{}', limits);
          expect(result.ok).toBe(false);
          expectClean(result);
        }),
        { numRuns: 100 },
      );
    });
  });

  it('a log line: CLI output (with and without colour) and scan progress', () => {
    // eslint-disable-next-line no-control-regex
    const ownColours = /\u001b\[(?:0|2|31|32|33)m/g;
    fc.assert(
      fc.property(hostile, fc.boolean(), (text, colour) => {
        expectClean(outputLine(text, colour).replace(ownColours, '').split('\n'));
        const stderr = new PassThrough();
        const stdout = new PassThrough();
        const out = createOutput(stderr as unknown as NodeJS.WriteStream, {}, false, stdout);
        out.info(text);
        out.warn(text);
        out.error(text);
        out.print(text);
        createScanProgress(stderr as unknown as NodeJS.WriteStream).line(text);
        const written = `${stderr.read() ?? ''}${stdout.read() ?? ''}`;
        expect(written.length).toBeGreaterThan(0);
        expectClean(written.split('\n'));
      }),
    );
  });

  it('a KEV feed entry and a feed failure', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 6, maxLength: 6 }), ([a, b, c, d, e, f]) => {
        const catalog = KevCatalogSchema.parse({
          catalogVersion: `v${a}`,
          dateReleased: '2025-08-25T00:00:00Z',
          count: 1,
          vulnerabilities: [
            {
              cveID: 'CVE-2025-1234',
              vendorProject: a,
              product: b,
              vulnerabilityName: c,
              dateAdded: '2025-08-25',
              shortDescription: d,
              requiredAction: e,
              dueDate: '2025-09-15',
              knownRansomwareCampaignUse: f!.slice(0, 50),
              notes: f,
            },
          ],
        });
        expectClean(catalog, ['shortDescription', 'requiredAction', 'notes']);
        expectClean(toFeedFailure(new Error(a), 'KEV'));
      }),
    );
  });

  it('an accepted-risk document: rules and errors', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-safe-text-'));
    await fc.assert(
      fc.asyncProperty(hostile, hostile, hostile, async (id, statement, purl) => {
        const rules = `vulnerabilities:\n  - id: ${yaml(`CVE-${id}`)}\n    statement: ${yaml(statement)}\n`;
        writeFileSync(path.join(dir, 'a.yaml'), rules);
        writeFileSync(
          path.join(dir, 'b.yaml'),
          `vulnerabilities:\n  - id: CVE-1\n    purls: [${yaml(purl)}]\n`,
        );
        writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ [id]: statement }));
        const loaded = await loadVexRules([dir], 1 << 20);
        expect(loaded.rules.length + loaded.errors.length).toBeGreaterThanOrEqual(2);
        expectClean(loaded, ['statement']);
      }),
      { numRuns: 100 },
    );
  });
});

/** A YAML double-quoted scalar holding exactly `text`: everything outside printable ASCII escaped. */
function yaml(text: string): string {
  const escaped = [...text].map((c) => {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') return `\\${c}`;
    if (code >= 0x20 && code < 0x7f) return c;
    return code > 0xffff
      ? `\\U${code.toString(16).padStart(8, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${escaped.join('')}"`;
}
