import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput, outputLine } from '../../pipeline/cli/output.ts';

// Every line the CLI writes goes through outputLine: text from outside can neither drive the
// terminal nor pass for a line of its own; only the colours we add ourselves are escape codes.
describe('outputLine', () => {
  it.each([
    ['plain text', 'scan: 3 images', false, 'scan: 3 images'],
    ['a screen clear and a colour', 'x\u001b[2J\u001b[31my', false, 'x [2J [31my'],
    ['a carriage return that would overwrite the line', 'ok\rFAIL', false, 'ok\n  FAIL'],
    ['a forged line', 'disk full\nerror: fake', false, 'disk full\n  error: fake'],
    ['bidi and zero-width', 'invoice\u202Efdp.exe\u200B', false, 'invoicefdp.exe'],
    [
      'our colours kept when colour is on',
      '\u001b[32m✓\u001b[0m a\u0007',
      true,
      '\u001b[32m✓\u001b[0m a ',
    ],
    [
      'other escapes dropped when colour is on',
      '\u001b[32mok\u001b[0m \u001b[8mhidden',
      true,
      '\u001b[32mok\u001b[0m  [8mhidden',
    ],
  ])('%s', (_title, line, colour, written) => {
    expect(outputLine(line, colour)).toBe(written);
  });
});

describe('createOutput', () => {
  it('cleans info, warn, error and print lines alike', () => {
    const err = new PassThrough();
    const std = new PassThrough();
    const out = createOutput(err as unknown as NodeJS.WriteStream, { NO_COLOR: '1' }, false, std);
    out.info('a\u001b]0;title\u0007b');
    out.warn('w\u2066');
    out.error('e\u0085f');
    out.print(`${out.ok('✓')} p\u{E0041}`);
    expect(String(err.read())).toBe('a ]0;title b\nwarning: w\nerror: e\n  f\n');
    expect(String(std.read())).toBe('✓ p\n');
  });
});
