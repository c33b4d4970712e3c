import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CAUSE_DEPTH, describeCauses } from '../../pipeline/cli/cause-chain.ts';
import { DockpeekError } from '../../pipeline/errors.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';

describe('--verbose: the causes of an error', () => {
  // db.json is a folder: reading it fails with EISDIR, kept as the cause of db_unwritable.
  const unreadableStore = () => {
    const dataDir = makeDataDir();
    mkdirSync(path.join(dataDir, 'db.json'));
    return dataDir;
  };

  it('without it: the message, the hint and the docs section, no cause', async () => {
    const run = await runCli(['export'], { DOCKPEEK_DATA_DIR: unreadableStore() });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot read .*db\.json: EISDIR.* \[db_unwritable\]$/m);
    expect(run.stderr).toMatch(/^ {2}Check the permissions of the data dir/m);
    expect(run.stderr).toContain('  see docs/errors.md#db_unwritable');
    expect(run.stderr).not.toContain('caused by');
  });

  it.each([[['export', '--verbose']], [['-v', 'export']], [['export', '-v']]])(
    '%j: the cause, indented under the error',
    async (args) => {
      const run = await runCli(args, { DOCKPEEK_DATA_DIR: unreadableStore() });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/\[db_unwritable\]\n(.*\n){2} {2}caused by: Error: EISDIR: /);
    },
  );

  // -qv: in a group after the command's name, where commander looks up the command's own flags.
  it.each([
    [['snapshot', '--timeout', 'soon', '--verbose']],
    [['snapshot', '-qv', '--timeout', 'soon']],
  ])('%j: a parser error under a setting error', async (args) => {
    const run = await runCli(args, {
      DOCKPEEK_DATA_DIR: makeDataDir(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('error: --timeout="soon" is not a duration [config_invalid]');
    expect(run.stderr).toContain(
      '  caused by: DockpeekError: --timeout="soon" is not a duration [config_invalid]',
    );
  });
});

describe('describeCauses', () => {
  const chain = (depth: number): Error => {
    let error = new Error('the bottom');
    for (let i = depth - 1; i > 0; i -= 1) error = new Error(`level ${i}`, { cause: error });
    return new DockpeekError('db_unwritable', 'the top', undefined, { cause: error });
  };

  it('one line per cause, each a step deeper', () => {
    expect(describeCauses(chain(2))).toEqual([
      '  caused by: Error: level 1',
      '    caused by: Error: the bottom',
    ]);
  });

  it(`stops after ${MAX_CAUSE_DEPTH} and says that there are more`, () => {
    const lines = describeCauses(chain(MAX_CAUSE_DEPTH + 3));
    expect(lines).toHaveLength(MAX_CAUSE_DEPTH + 1);
    expect(lines.at(-1)).toBe(`${'  '.repeat(MAX_CAUSE_DEPTH + 1)}… and more causes, not shown`);
  });

  it('ends at a cycle instead of looping', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(describeCauses(new Error('top', { cause: a }))).toEqual([
      '  caused by: Error: a',
      '    caused by: Error: b',
    ]);
  });

  it('names a code the message does not hold, and a cause that is not an Error', () => {
    const coded = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(describeCauses(new Error('x', { cause: coded }))).toEqual([
      '  caused by: Error: socket hang up [ECONNRESET]',
    ]);
    expect(describeCauses(new Error('x', { cause: 'a string' }))).toEqual([
      '  caused by: a string',
    ]);
  });

  it('cleans each line: one line, no controls or bidi tricks, credentials masked', () => {
    const cause = new Error(
      'POST https://alice:s3cret@hooks.lan/x?token=abc123 failed\n\u001b[31mAuthorization: Bearer eyJhbGciOi\u202e',
    );
    const [line, ...rest] = describeCauses(new Error('x', { cause }));
    expect(rest).toEqual([]);
    expect(line).not.toMatch(/[\u0000-\u001f\u202e]/);
    for (const secret of ['alice', 's3cret', 'abc123', 'eyJhbGciOi'])
      expect(line).not.toContain(secret);
    expect(line).toContain('https://***@hooks.lan/x?token=***');
  });
});
