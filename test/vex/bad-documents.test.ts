import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVexRules } from '../../pipeline/vex/load-rules.ts';
import { loadDocs, openVex, writeVexDocs } from '../helpers/vex-docs.ts';

// A bad document is one coded error naming the file and the line or field; none of its rules
// apply, the other documents still do, and nothing throws.
const good = {
  vulnerability: { name: 'CVE-2025-24813' },
  products: [{ '@id': 'pkg:maven/org.apache.tomcat.embed/tomcat-embed-core' }],
  status: 'fixed',
};

const cases: Array<
  [
    string,
    string,
    string | object,
    { code: string; line?: number; field?: string; message: RegExp },
  ]
> = [
  [
    'YAML syntax error',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    paths: [app/**, usr/**\n  - id: CVE-2024-1\n',
    { code: 'syntax_error', line: 4, message: /a\.yaml: line 4: / },
  ],
  [
    'YAML duplicate key',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    id: CVE-2024-1\n',
    { code: 'syntax_error', line: 3, message: /unique/i },
  ],
  [
    'an id that is a number',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n  - id: 12345\n',
    {
      code: 'invalid',
      line: 3,
      field: 'vulnerabilities[1].id',
      message: /line 3, vulnerabilities\[1\]\.id: .*expected string/,
    },
  ],
  [
    'paths not a list',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    paths: app/app.jar\n',
    { code: 'invalid', line: 3, field: 'vulnerabilities[0].paths', message: /expected array/ },
  ],
  [
    'a misspelt key (it would accept forever)',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    statement: later\n    expired_on: 2026-05-31\n',
    { code: 'invalid', line: 4, field: 'vulnerabilities[0].expired_on', message: /unknown key/ },
  ],
  [
    'an unknown top-level key',
    'a.yaml',
    'vulnerabilites:\n  - id: CVE-2025-24813\n',
    { code: 'invalid', line: 1, field: 'vulnerabilites', message: /unknown key/ },
  ],
  [
    'expired_at not a date',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    expired_at: next month\n',
    {
      code: 'bad_date',
      line: 3,
      field: 'vulnerabilities[0].expired_at',
      message: /"next month" is not a date/,
    },
  ],
  [
    'expired_at an impossible date',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n\n    expired_at: 2026-13-45\n',
    { code: 'bad_date', line: 4, field: 'vulnerabilities[0].expired_at', message: /2026-13-45/ },
  ],
  [
    'a purl that is not one',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    purls:\n      - maven:tomcat-embed-core\n',
    {
      code: 'invalid',
      line: 4,
      field: 'vulnerabilities[0].purls[0]',
      message: /not a package URL/,
    },
  ],
  [
    'an image that is not a reference',
    'a.yaml',
    'images:\n  - "Not An Image!"\nvulnerabilities:\n  - id: CVE-2025-24813\n',
    { code: 'invalid', line: 2, field: 'images[0]', message: /not an image reference/ },
  ],
  [
    'an alias bomb',
    'a.yaml',
    `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [${Array(9).fill('*a').join(', ')}]\nc: &c [${Array(9).fill('*b').join(', ')}]\nd: &d [${Array(9).fill('*c').join(', ')}]\nvulnerabilities: []\n`,
    { code: 'syntax_error', message: /alias/i },
  ],
  [
    'OpenVEX not JSON',
    'a.json',
    '{\n  "@context": "https://openvex.dev/ns/v0.2.0",\n  "statements": [,]\n}\n',
    { code: 'syntax_error', line: 3, message: /a\.json: line 3: Unexpected token/ },
  ],
  [
    'OpenVEX unknown status',
    'a.json',
    openVex([good, { ...good, status: 'not_affected_really' }]),
    {
      code: 'unknown_status',
      line: 28,
      field: 'statements[1].status',
      message:
        /"not_affected_really" is not one of not_affected, fixed, affected, under_investigation/,
    },
  ],
  [
    'OpenVEX not_affected without a justification',
    'a.json',
    openVex([{ ...good, status: 'not_affected' }]),
    { code: 'invalid', field: 'statements[0].status', message: /needs a justification/ },
  ],
  [
    'OpenVEX justification outside the spec',
    'a.json',
    openVex([{ ...good, status: 'not_affected', justification: 'trust_me' }]),
    {
      code: 'invalid',
      field: 'statements[0].justification',
      message: /vulnerable_code_not_present/,
    },
  ],
  [
    'OpenVEX products of the wrong type',
    'a.json',
    openVex([{ ...good, products: 'pkg:maven/x/y' }]),
    { code: 'invalid', field: 'statements[0].products', message: /expected array/ },
  ],
  [
    'OpenVEX product that is not a purl',
    'a.json',
    openVex([{ ...good, products: [{ '@id': 'https://example.invalid/app' }] }]),
    { code: 'invalid', field: 'statements[0].products[0]["@id"]', message: /not a package URL/ },
  ],
  [
    'OpenVEX without @context',
    'a.json',
    { '@id': 'x', author: 'me', timestamp: '2026-01-01T00:00:00Z', statements: [] },
    { code: 'invalid', field: '["@context"]', message: /expected string/ },
  ],
  [
    'OpenVEX timestamp not a time',
    'a.json',
    openVex([{ ...good, timestamp: 'yesterday' }]),
    { code: 'bad_date', field: 'statements[0].timestamp', message: /"yesterday"/ },
  ],
  [
    'a file that is not UTF-8',
    'a.yaml',
    'vulnerabilities:\n  - id: CVE-2025-24813\n    statement: caf\xe9\n',
    { code: 'syntax_error', message: /not UTF-8/ },
  ],
];

describe('bad accepted-risk documents', () => {
  it.each(cases)('%s', async (_, name, content, expected) => {
    const { dir } = writeVexDocs({});
    const file = path.join(dir, name);
    // latin1 keeps the \xe9 byte of the not-UTF-8 case a single invalid byte.
    writeFileSync(
      file,
      typeof content === 'string'
        ? Buffer.from(content, 'latin1')
        : JSON.stringify(content, null, 2),
    );
    const other = path.join(dir, 'good.yaml');
    writeFileSync(other, 'vulnerabilities:\n  - id: CVE-2024-34750\n');
    const loaded = await loadVexRules([file, other], 1 << 20);
    expect(loaded.errors, JSON.stringify(loaded.errors)).toHaveLength(1);
    const error = loaded.errors[0]!;
    expect(error).toMatchObject({ file, code: expected.code });
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    expect(error.message).toMatch(expected.message);
    if (expected.line !== undefined) expect(error.line).toBe(expected.line);
    if (expected.field !== undefined) expect(error.field).toBe(expected.field);
    // The other document still applies; the bad one contributes nothing.
    expect(loaded.rules.map((r) => r.vulnerability)).toEqual(['CVE-2024-34750']);
  });

  it('an oversized file is refused without being parsed', async () => {
    const big = `vulnerabilities:\n${'  - id: CVE-2025-24813\n'.repeat(200)}`;
    const loaded = await loadDocs({ 'big.yaml': big }, 1024);
    expect(loaded.errors).toMatchObject([
      { code: 'too_large', message: /big\.yaml: larger than 1 KiB/ },
    ]);
    expect((await loadDocs({ 'big.yaml': big }, 8192)).errors).toEqual([]);
  });

  it('an endless device is refused without being read', async () => {
    const loaded = await loadVexRules(['/dev/zero'], 1 << 20);
    expect(loaded.errors).toMatchObject([{ code: 'unknown_format' }]);
    const { dir } = writeVexDocs({});
    const link = path.join(dir, 'zero.yaml');
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/zero', link);
    expect((await loadVexRules([link], 1 << 20)).errors).toMatchObject([
      {
        code: 'not_a_file',
        message: expect.stringContaining('not a regular file (a device or socket)'),
      },
    ]);
  });

  it('missing paths and foreign files', async () => {
    const { dir } = writeVexDocs({ 'notes.txt': 'hello', 'rules.yaml': 'vulnerabilities: []\n' });
    const loaded = await loadVexRules(
      [path.join(dir, 'missing.yaml'), path.join(dir, 'notes.txt'), dir],
      1 << 20,
    );
    expect(loaded.errors.map((e) => e.code)).toEqual(['unreadable', 'unknown_format']);
    // A folder reads only its .yaml/.yml/.json files.
    expect(loaded.files.map((f) => path.basename(f.file))).toEqual(['rules.yaml']);
  });
});
