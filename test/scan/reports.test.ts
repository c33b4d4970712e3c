import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../pipeline/scan/finding.ts';
import { readReport, streamFindings, writeReport } from '../../pipeline/scan/reports.ts';

const finding = (i: number): Finding => ({
  id: `CVE-2024-${i}`,
  pkg: 'openssl',
  installed: '3.0.1',
  severity: i % 2 ? 'high' : 'low',
  title: `title ${i} with "quotes", a\nnewline and \u2028`,
  references: ['https://nvd.nist.gov/x', 'javascript:alert(1)'],
  target: 'debian 12',
});
const dir = () => mkdtempSync(path.join(tmpdir(), 'dpk-reports-'));

describe('findings files', () => {
  it('are NDJSON, one finding a line, named by content, and read back as a stream', async () => {
    const reports = dir();
    const findings = Array.from({ length: 5000 }, (_, i) => finding(i));
    const name = await writeReport(reports, findings);
    expect(name).toMatch(/^[0-9a-f]{32}\.ndjson$/);
    const lines = readFileSync(path.join(reports, name), 'utf8').split('\n');
    expect(lines).toHaveLength(5001);
    expect(lines.at(-1)).toBe('');
    expect(JSON.parse(lines[3]!)).toEqual(finding(3));
    const streamed: Finding[] = [];
    for await (const f of streamFindings(reports, name)) streamed.push(f);
    expect(streamed).toEqual(findings);
    expect(await readReport(reports, name)).toEqual(findings);
    // Same content, same file; from an async source too. Nothing is left in .incoming/.
    async function* again() {
      yield* findings;
    }
    expect(await writeReport(reports, again())).toBe(name);
    expect(readdirSync(reports).sort()).toEqual(['.incoming', name]);
    expect(readdirSync(path.join(reports, '.incoming'))).toEqual([]);
  });

  it('writes an empty file for no findings, which reads as none', async () => {
    const reports = dir();
    const name = await writeReport(reports, []);
    expect(readFileSync(path.join(reports, name), 'utf8')).toBe('');
    expect(await readReport(reports, name)).toEqual([]);
  });

  it('still reads a legacy JSON-array .json file, cutting a title the old format did not cap', async () => {
    const reports = dir();
    const legacy = [{ ...finding(1), title: 'x'.repeat(2000) }, finding(2)];
    writeFileSync(path.join(reports, `${'a'.repeat(32)}.json`), `${JSON.stringify(legacy)}\n`);
    const read = await readReport(reports, `${'a'.repeat(32)}.json`);
    expect(read).toHaveLength(2);
    expect(read![0]!.title).toHaveLength(512);
    expect(read![1]).toEqual(finding(2));
  });

  it.each([
    ['a name that leaves the folder', '../../etc/passwd', undefined],
    ['a name that is not a hash', 'report.ndjson', undefined],
    ['a missing file', `${'b'.repeat(32)}.ndjson`, undefined],
    ['a damaged line', `${'c'.repeat(32)}.ndjson`, `${JSON.stringify(finding(1))}\n{"id":\n`],
    ['a line that is not a finding', `${'d'.repeat(32)}.ndjson`, '{"id":"x"}\n'],
    ['a line longer than 1 MiB', `${'e'.repeat(32)}.ndjson`, `"${'x'.repeat(1.5 * 1024 * 1024)}`],
  ])('read %s as null (readReport), as an error (streamFindings)', async (_title, name, text) => {
    const reports = dir();
    if (text !== undefined) writeFileSync(path.join(reports, name), text);
    expect(await readReport(reports, name)).toBeNull();
    await expect(async () => {
      for await (const f of streamFindings(reports, name)) void f;
    }).rejects.toThrow();
  });
});
