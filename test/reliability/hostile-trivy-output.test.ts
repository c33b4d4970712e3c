import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../../pipeline/scan/classify.ts';
import type { FailureCode } from '../../pipeline/vocabulary.ts';
import { parseReport } from '../../pipeline/scan/parse-report.ts';
import { DbSchema, type Db } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli, type CliResult } from '../helpers/cli.ts';
import { imageIdOf, writeFleet, type FleetImage } from '../helpers/fleet.ts';
import { REPORTS, STANDIN, reportCounts } from '../helpers/standin.ts';

// Hostile Trivy output, table-driven: every row is one image of ONE `scan` run, so each gets its
// own stdout/stderr/exit code from the stand-in (README.md beside it) and the rows run in parallel.

const MAX_OUTPUT = 16 * 1024 * 1024;
const REPORT = readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8');
const COUNTS = reportCounts('debian-buster');
const at = '2026-11-25T10:00:00Z\tFATAL\tFatal error\t';

/** The real report with one change, as Trivy would print it. */
function mutated(change: (report: any) => void): string {
  const report = JSON.parse(REPORT);
  change(report);
  return JSON.stringify(report, null, 2);
}
const firstVuln = (change: (v: any) => void) =>
  mutated((r) => change(r.Results[0].Vulnerabilities[0]));
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const base64 = (b: Buffer) => b.toString('base64');
/** `text` with each `marker` replaced by raw bytes. */
const withBytes = (text: string, marker: string, raw: number[]) =>
  bytes(...text.split(marker).flatMap((part, i) => (i ? [raw, part] : [part])));

const NOT_JSON = /^trivy exited 0 but stdout is not JSON \(.+\); it began: ".*"$/s;
const NOT_UTF8 = /^trivy exited 0 but stdout is not valid UTF-8 text; it began: ".*"$/s;
const SCHEMA_VERSION =
  'SchemaVersion must be 2, the report format DockPeek reads   → at SchemaVersion';
const notReport = (issue: string) => `trivy's JSON is not a report: ✖ ${issue}`;

type Expected =
  | { status: 'failed'; code: FailureCode; message: string | RegExp }
  | { status: 'scanned'; findings: number; fixable?: number };

interface Row {
  title: string;
  behaviour: Record<string, unknown>;
  expected: Expected;
}

const PANIC = [
  'panic: runtime error: index out of range [3] with length 3',
  '',
  'goroutine 1 [running]:',
  'github.com/aquasecurity/trivy/pkg/scanner.Scan(...)',
  '\t/src/pkg/scanner/scan.go:120 +0x1d',
  'main.main()',
  '\t/src/cmd/trivy/main.go:31 +0x3c',
  'exit status 2',
].join('\n');
const WARN_LINE =
  '2026-11-25T10:00:00Z\tWARN\tUnable to parse the file\tfile_path="usr/lib/x.so" err="unexpected EOF"\n';

const ROWS: Row[] = [
  // stdout that is not JSON at all
  {
    title: 'truncated JSON',
    behaviour: { output: 'truncated' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message:
        /^trivy exited 0 but stdout is not JSON \(.+\); it began: "\{ \\"SchemaVersion\\": 2, /,
    },
  },
  {
    title: 'empty stdout',
    behaviour: { stdout: '' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: 'trivy exited 0 but stdout is not JSON (Unexpected end of JSON input); it began: ""',
    },
  },
  {
    title: 'only whitespace on stdout',
    behaviour: { stdout: '\n  \n' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: 'trivy exited 0 but stdout is not JSON (Unexpected end of JSON input); it began: ""',
    },
  },
  {
    title: 'a log line on stdout before the report',
    behaviour: { stdout: `2026-11-25T10:00:00Z\tINFO\tNeed to update DB\n${REPORT}` },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message:
        /^trivy exited 0 but stdout is not JSON \(.+\); it began: "2026-11-25T10:00:00Z INFO Need to update DB \{ /,
    },
  },
  {
    title: 'text after the report',
    behaviour: { stdout: `${REPORT}\nWARN something else\n` },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_JSON },
  },
  {
    title: 'two reports, one per line',
    behaviour: { stdout: `${JSON.stringify(JSON.parse(REPORT))}\n`.repeat(2) },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_JSON },
  },
  {
    title: 'JSON nested 100 000 levels deep',
    behaviour: { stdout: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected object, received array'),
    },
  },
  // bytes that are not UTF-8
  {
    title: 'Latin-1 bytes inside a title',
    behaviour: {
      stdoutBase64: base64(
        withBytes(
          firstVuln((v) => (v.Title = 'caf@ overflow')),
          '@',
          [0xe9],
        ),
      ),
    },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_UTF8 },
  },
  {
    title: 'random binary (a JPEG header)',
    behaviour: { stdoutBase64: base64(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF')) },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_UTF8 },
  },
  {
    title: 'the report in UTF-16LE with a BOM',
    behaviour: {
      stdoutBase64: base64(bytes([0xff, 0xfe], Buffer.from(REPORT, 'utf16le') as never)),
    },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_UTF8 },
  },
  {
    title: 'an overlong encoding and a UTF-8-encoded surrogate',
    behaviour: {
      stdoutBase64: base64(
        bytes('{"SchemaVersion":2,"Results":[{"Target":"', [0xc0, 0xaf, 0xed, 0xa0, 0x80], '"}]}'),
      ),
    },
    expected: { status: 'failed', code: 'invalid_output', message: NOT_UTF8 },
  },
  {
    title: 'a UTF-8 byte order mark before a valid report (tolerated)',
    behaviour: { stdoutBase64: base64(bytes([0xef, 0xbb, 0xbf], REPORT)) },
    expected: { status: 'scanned', findings: COUNTS.findings },
  },
  {
    title: 'a JSON-escaped lone surrogate in a title (valid JSON, kept)',
    behaviour: {
      stdout: firstVuln((v) => (v.Title = 'x')).replace('"Title": "x"', '"Title": "\\ud800"'),
    },
    expected: { status: 'scanned', findings: COUNTS.findings },
  },
  // too much output: its own code since 1.2 (was invalid_output), the process stopped at the cap
  {
    title: 'a 55 MB report, past DOCKPEEK_TRIVY_MAX_OUTPUT',
    behaviour: { output: 'huge', count: 17_000 },
    expected: {
      status: 'failed',
      code: 'output_too_large',
      message:
        'trivy printed more than 16 MB on stdout (DOCKPEEK_TRIVY_MAX_OUTPUT); it was stopped there and its output discarded',
    },
  },
  // valid JSON that is not a SchemaVersion 2 report
  {
    title: 'SchemaVersion 3',
    behaviour: { stdout: mutated((r) => (r.SchemaVersion = 3)) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(SCHEMA_VERSION),
    },
  },
  {
    title: 'SchemaVersion as a string',
    behaviour: { stdout: mutated((r) => (r.SchemaVersion = '2')) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(SCHEMA_VERSION),
    },
  },
  {
    title: 'no SchemaVersion: the pre-0.20 array of results',
    behaviour: { stdout: JSON.stringify(JSON.parse(REPORT).Results) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected object, received array'),
    },
  },
  {
    title: 'an empty array',
    behaviour: { stdout: '[]' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected object, received array'),
    },
  },
  {
    title: 'null',
    behaviour: { stdout: 'null\n' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected object, received null'),
    },
  },
  {
    title: 'a JSON string',
    behaviour: { stdout: '"ok"' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected object, received string'),
    },
  },
  {
    title: 'an empty object',
    behaviour: { stdout: '{}' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(SCHEMA_VERSION),
    },
  },
  {
    title: 'Results is a string',
    behaviour: { output: 'wrong-shape' },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected array, received string   → at Results'),
    },
  },
  {
    title: 'Results is an object',
    behaviour: { stdout: mutated((r) => (r.Results = { 0: r.Results[0] })) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport('Invalid input: expected array, received object   → at Results'),
    },
  },
  {
    title: 'Vulnerabilities is an object',
    behaviour: { stdout: mutated((r) => (r.Results[0].Vulnerabilities = {})) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected array, received object   → at Results[0].Vulnerabilities',
      ),
    },
  },
  {
    title: 'Vulnerabilities holds strings',
    behaviour: { stdout: mutated((r) => (r.Results[0].Vulnerabilities = ['CVE-2019-18276'])) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected object, received string   → at Results[0].Vulnerabilities[0]',
      ),
    },
  },
  {
    title: 'a numeric Severity',
    behaviour: { stdout: firstVuln((v) => (v.Severity = 4)) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected string, received number   → at Results[0].Vulnerabilities[0].Severity',
      ),
    },
  },
  {
    title: 'a vulnerability without an id',
    behaviour: { stdout: firstVuln((v) => delete v.VulnerabilityID) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected string, received undefined   → at Results[0].Vulnerabilities[0].VulnerabilityID',
      ),
    },
  },
  {
    title: 'a CVSS score as a string',
    behaviour: { stdout: firstVuln((v) => (v.CVSS = { nvd: { V3Score: '9.8' } })) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected number, received string   → at Results[0].Vulnerabilities[0].CVSS.nvd.V3Score',
      ),
    },
  },
  {
    title: 'a CVSS score of 1e999 (Infinity once parsed)',
    behaviour: {
      stdout: firstVuln((v) => (v.CVSS = { nvd: { V3Score: 1234.5 } })).replace('1234.5', '1e999'),
    },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected number, received Infinity   → at Results[0].Vulnerabilities[0].CVSS.nvd.V3Score',
      ),
    },
  },
  {
    title: 'FixedVersion null',
    behaviour: { stdout: firstVuln((v) => (v.FixedVersion = null)) },
    expected: {
      status: 'failed',
      code: 'invalid_output',
      message: notReport(
        'Invalid input: expected string, received null   → at Results[0].Vulnerabilities[0].FixedVersion',
      ),
    },
  },
  {
    title: '__proto__ keys (no prototype pollution, no fix invented)',
    behaviour: {
      stdout:
        '{"SchemaVersion":2,"__proto__":{"polluted":1},"Results":[{"Target":"x","Vulnerabilities":' +
        '[{"VulnerabilityID":"CVE-1","Severity":"HIGH","__proto__":{"FixedVersion":"9"},' +
        '"CVSS":{"__proto__":{"V3Score":10}}}]}]}',
    },
    expected: { status: 'scanned', findings: 1, fixable: 0 },
  },
  // stderr and exit codes
  {
    title: 'exit 0 with WARN lines on stderr',
    behaviour: { stderr: WARN_LINE.repeat(3), stdout: REPORT },
    expected: { status: 'scanned', findings: COUNTS.findings },
  },
  {
    title: 'exit 1 with a valid report on stdout (stdout is ignored)',
    behaviour: {
      exit: 1,
      stdout: REPORT,
      stderr: `${at}run error: image scan error: scan error: scan failed: unexpected EOF\n`,
    },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      message: 'run error: image scan error: scan error: scan failed: unexpected EOF',
    },
  },
  {
    title: 'exit 1 with nothing on stderr',
    behaviour: { exit: 1, stderr: '' },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      message: 'trivy exited with code 1 and printed nothing on stderr',
    },
  },
  {
    title: 'exit 2 with a Go panic and no FATAL line',
    behaviour: { exit: 2, stderr: PANIC },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      // Recorded lines keep no control character: a tab is a space (pipeline/safe-text.ts).
      message: PANIC.split('\n').slice(-5).join('\n').replaceAll('\t', ' '),
    },
  },
  {
    title: 'a FATAL line with nothing after it',
    behaviour: { exit: 1, stderr: '2026-11-25T10:00:00Z\tFATAL\n' },
    expected: { status: 'failed', code: 'scan_failed', message: '2026-11-25T10:00:00Z FATAL' },
  },
  {
    title: 'a 100 KB FATAL line',
    behaviour: { exit: 1, stderr: `${at}run error: ${'x'.repeat(100_000)}\n` },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      message: `run error: ${'x'.repeat(2000 - 'run error: '.length)}`,
    },
  },
  {
    title: 'non-UTF-8 bytes in the FATAL line',
    behaviour: {
      exit: 1,
      stderrBase64: base64(bytes(`${at}run error: bad path `, [0xff, 0xfe], ' here\n')),
    },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      message: 'run error: bad path \ufffd\ufffd here',
    },
  },
  {
    title: 'image not found, exit 1',
    behaviour: {
      exit: 1,
      stderr: `${at}run error: image scan error: unable to find the specified image "x" in ["docker"]: 1 error occurred:\n\t* docker error: No such image: x\n`,
    },
    expected: {
      status: 'failed',
      code: 'image_unavailable',
      message:
        'run error: image scan error: unable to find the specified image "x" in ["docker"]: 1 error occurred:\n* docker error: No such image: x',
    },
  },
  {
    title: '2 MB of WARN lines on stderr before a FATAL line',
    behaviour: {
      exit: 1,
      stderr: `${WARN_LINE.repeat((2 * 1024 * 1024) / WARN_LINE.length)}${at}run error: boom\n`,
    },
    expected: {
      status: 'failed',
      code: 'scan_failed',
      message:
        /^trivy wrote more than 1 MB on stderr and was stopped; it began: "2026-11-25T10:00:00Z WARN Unable to parse the file file_path=\\"usr\/lib\/x.so\\" err=\\"unexpected EOF\\" 2026/,
    },
  },
];

const refOf = (i: number) => `hostile/output-${String(i).padStart(2, '0')}:1`;

describe('hostile trivy output through the real `scan` command', () => {
  const dataDir = makeDataDir();
  let run: CliResult;
  let db: Db;
  const healthy = 'nginx:1.27.3';

  beforeAll(async () => {
    const fleet: FleetImage[] = [
      { ref: healthy, behaviour: { report: 'debian-buster', ms: 10 }, on: { server: 2, nas: 1 } },
      ...ROWS.map((row, i) => ({
        ref: refOf(i),
        behaviour: row.behaviour as FleetImage['behaviour'],
        on: { server: 1 },
      })),
    ];
    const config = writeFleet(dataDir, {}, fleet);
    run = await runCli(['scan'], {
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      TRIVY_SCAN_TIMEOUT: '60s',
      TRIVY_SCAN_WORKERS: '4',
      DOCKPEEK_TRIVY_MAX_OUTPUT: String(MAX_OUTPUT),
      HOME: dataDir,
    });
    db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
  }, 120_000);

  it('exits 2 (scans failed), without a crash, and counts every image', () => {
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).not.toMatch(/unexpected failure|at .+\.ts:\d+/);
    const failed = ROWS.filter((r) => r.expected.status === 'failed').length;
    expect(run.stderr).toContain(
      `${ROWS.length + 1} scanned this run (trivy 0.68.2, private server cache, 4 workers): ${ROWS.length + 1 - failed} ok, ${failed} failed`,
    );
  });

  it.each(ROWS.map((row, i) => [row.title, i, row] as const))('%s', (_title, i, { expected }) => {
    const record = db.scans[imageIdOf(refOf(i))];
    expect(record).toBeDefined();
    if (expected.status === 'scanned') {
      expect(record).toMatchObject({ status: 'scanned', report: expect.any(String) });
      expect(record!.summary!.findings).toBe(expected.findings);
      if (expected.fixable !== undefined) expect(record!.summary!.fixable).toBe(expected.fixable);
      return;
    }
    expect(record).toMatchObject({
      status: 'failed',
      error: { code: expected.code },
      retryAfter: expect.any(String),
    });
    expect(record!.summary).toBeUndefined();
    const message = record!.error!.message;
    if (typeof expected.message === 'string') expect(message).toBe(expected.message);
    else expect(message).toMatch(expected.message);
    expect(message.length).toBeLessThanOrEqual(2000);
  });

  it('scans the healthy image on both hosts, counted as the report counts', () => {
    expect(db.scans[imageIdOf(healthy)]).toMatchObject({ status: 'scanned', summary: COUNTS });
  });

  it('leaves nothing pending and no prototype polluted', () => {
    expect(Object.values(db.scans).map((s) => s.status)).not.toContain('pending');
    expect(Object.keys(db.scans)).toHaveLength(ROWS.length + 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('really made the stand-in print more than 50 MB for the oversized row', async () => {
    const i = ROWS.findIndex((r) => r.behaviour.output === 'huge');
    let size = 0;
    const child = execa(
      STANDIN,
      ['image', '--format', 'json', '--quiet', '--server', 'http://x', refOf(i)],
      {
        env: { DPK_STANDIN_CONFIG: path.join(dataDir, 'trivy-standin.json') },
        buffer: false,
        reject: false,
      },
    );
    child.stdout.on('data', (chunk: Buffer) => (size += chunk.length));
    await child;
    expect(size).toBeGreaterThan(50 * 1024 * 1024);
  });
});

describe('parseReport: the function that reads trivy stdout', () => {
  it.each(
    ROWS.filter((r) => 'stdout' in r.behaviour && (r.behaviour.exit ?? 0) === 0).map(
      (r) => [r.title, r] as const,
    ),
  )('%s', (_title, { behaviour, expected }) => {
    const parsed = parseReport(Buffer.from(behaviour.stdout as string));
    if (expected.status === 'scanned') {
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.findings).toHaveLength(expected.findings);
    } else {
      expect(parsed).toEqual({
        ok: false,
        message:
          typeof expected.message === 'string'
            ? expected.message
            : expect.stringMatching(expected.message),
      });
    }
  });

  it.each(ROWS.filter((r) => 'stdoutBase64' in r.behaviour).map((r) => [r.title, r] as const))(
    '%s',
    (_title, { behaviour, expected }) => {
      const parsed = parseReport(Buffer.from(behaviour.stdoutBase64 as string, 'base64'));
      expect(parsed.ok).toBe(expected.status === 'scanned');
      if (!parsed.ok && expected.status === 'failed')
        expect(parsed.message).toMatch(expected.message);
    },
  );
});

describe('classifyFailure on hostile stderr', () => {
  it.each(
    ROWS.filter((r) => (r.behaviour.exit ?? 0) !== 0 && 'stderr' in r.behaviour)
      .filter((r) => !String(r.behaviour.stderr).includes('WARN'))
      .map((r) => [r.title, r] as const),
  )('%s', (_title, { behaviour, expected }) => {
    const failure = classifyFailure(behaviour.stderr as string, behaviour.exit as number);
    expect(expected.status).toBe('failed');
    if (expected.status !== 'failed') return;
    expect(failure.code).toBe(expected.code);
    if (typeof expected.message === 'string') expect(failure.message).toBe(expected.message);
    else expect(failure.message).toMatch(expected.message);
  });
});
