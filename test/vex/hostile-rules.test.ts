// Accepted-risk files built to hang or bloat every command that reads them, all well under
// DOCKPEEK_VEX_MAX_SIZE: each must be judged or refused, with a code naming the file, in bounded
// memory (peak RSS of the real CLI, measured by the kernel). On the code before this test, the
// 80,000-key file took minutes, the million-deep one 1.2 GB, and the FIFO blocked forever; the
// test's own timeout catches a hang, and no figure here depends on the machine's speed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVexRules } from '../../pipeline/vex/load-rules.ts';
import { runCliMeasured } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';
import { openVex, writeVexDocs } from '../helpers/vex-docs.ts';

const CAP = 4 << 20;
const manyKeys = (n: number) =>
  `vulnerabilities:\n  - id: CVE-2025-24813\n    statement:\n${Array.from({ length: n }, (_, i) => `      k${i}: v`).join('\n')}\n`;

describe('hostile accepted-risk files', () => {
  it.each([
    [
      '80,000 keys in one mapping (1.3 MB)',
      'keys.yaml',
      manyKeys(80_000),
      'too_complex',
      /line \d+: more than 30,000 entries/,
    ],
    [
      'a flow sequence nested a million levels deep (2 MB)',
      'deep.yaml',
      `a: ${'['.repeat(1e6)}${']'.repeat(1e6)}\n`,
      'too_complex',
      /line 1: nested deeper than 64 levels/,
    ],
    [
      'a block nested past 1,000 columns',
      'block.yaml',
      Array.from({ length: 1200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
      'too_complex',
      /indented more than 1000 columns/,
    ],
    [
      'OpenVEX nested a million levels deep',
      'deep.json',
      `{"statements": ${'['.repeat(1e6)}${']'.repeat(1e6)}}`,
      'too_complex',
      /line 1: nested deeper than 64 levels/,
    ],
    [
      'a large node aliased 30 times',
      'aliases.yaml',
      `big: &big [${Array.from({ length: 4000 }, (_, i) => `x${i}`).join(', ')}]\nmore: [${Array(30).fill('*big').join(', ')}]\nvulnerabilities: []\n`,
      'too_complex',
      /more than 30,000 entries once its aliases are expanded/,
    ],
  ])('%s: refused with a code, in bounded memory', async (_, name, text, code, says) => {
    expect(Buffer.byteLength(text)).toBeLessThan(CAP);
    const dataDir = await demoStore();
    const { dir } = writeVexDocs({ [name]: text });
    const file = path.join(dir, name);
    const run = await runCliMeasured(['vex', '--check'], {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_VEX: file,
    });
    console.log(`${name}: vex --check peak RSS ${Math.round(run.peakRssMiB)} MiB`);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(new RegExp(`\\[${code}\\]`));
    expect(run.stderr).toMatch(says);
    expect(run.peakRssMiB).toBeLessThan(256);
  });

  it('25,000 keys in one mapping: parsed without the quadratic duplicate check, then judged', async () => {
    const { dir } = writeVexDocs({ 'keys.yaml': manyKeys(25_000) });
    const loaded = await loadVexRules([path.join(dir, 'keys.yaml')], CAP);
    // `statement` must be text: the mapping is judged invalid, at its line.
    expect(loaded.errors).toMatchObject([
      {
        code: 'invalid',
        message: expect.stringMatching(/keys\.yaml: line 4, vulnerabilities\[0\]\.statement/),
      },
    ]);
  });

  it('OpenVEX with an 80,000-key object: its error located without parsing it again as YAML', async () => {
    const keys = Object.fromEntries(Array.from({ length: 80_000 }, (_, i) => [`k${i}`, 'v']));
    const doc = openVex([
      {
        vulnerability: { name: 'CVE-2019-1551' },
        products: [{ '@id': 'pkg:oci/a' }],
        status: 'not_affected',
        justification: keys,
      },
    ]);
    const { dir } = writeVexDocs({ 'big.json': doc });
    const loaded = await loadVexRules([path.join(dir, 'big.json')], CAP);
    expect(loaded.errors).toMatchObject([
      {
        code: 'invalid',
        message: expect.stringMatching(/big\.json: line \d+, statements\[0\]\.justification/),
      },
    ]);
  });

  it('duplicate keys are still found, at the line of the repeat', async () => {
    const { dir } = writeVexDocs({
      'dup.yaml': 'vulnerabilities:\n  - id: CVE-2025-24813\n    statement: a\n    statement: b\n',
    });
    const loaded = await loadVexRules([path.join(dir, 'dup.yaml')], CAP);
    expect(loaded.errors).toMatchObject([
      {
        code: 'syntax_error',
        line: 4,
        message: expect.stringMatching(
          /dup\.yaml: line 4: Map keys must be unique \("statement" again\)/,
        ),
      },
    ]);
  });

  it('a FIFO named like a rules file, in a rules folder: refused, not waited on', async () => {
    const { dir } = writeVexDocs({ 'good.yaml': 'vulnerabilities:\n  - id: CVE-2025-24813\n' });
    execFileSync('mkfifo', [path.join(dir, 'x.yaml')]);
    const loaded = await loadVexRules([dir], CAP);
    expect(loaded.errors).toMatchObject([
      { code: 'not_a_file', message: expect.stringContaining('not a regular file (a FIFO)') },
    ]);
    // The other file of the folder still applies.
    expect(loaded.rules).toHaveLength(1);
    expect(loaded.files.map((f) => path.basename(f.file))).toEqual(['good.yaml']);
  });

  it('a legitimate file of 3,000 rules is read in full', async () => {
    const rules = Array.from(
      { length: 3000 },
      (_, i) =>
        `  - id: CVE-2024-${10000 + i}\n    statement: "not reachable: the parser, the lexer, and so on"\n    expired_at: 2099-01-01`,
    );
    const { dir } = writeVexDocs({ 'many.yaml': `vulnerabilities:\n${rules.join('\n')}\n` });
    writeFileSync(path.join(dir, 'unused.txt'), '');
    const loaded = await loadVexRules([path.join(dir, 'many.yaml')], CAP);
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules).toHaveLength(3000);
  });
});
