import { describe, expect, it } from 'vitest';
import {
  cleanLine,
  escapeUnsafe,
  hasUnsafeChars,
  logText,
  oneLine,
  plainBlock,
  plainText,
  shorten,
} from '../pipeline/safe-text.ts';

// What each function makes of the characters the three old sanitisers disagreed on, and of the
// ones added (soft hyphen, U+180E, U+206A–206F, interlinear annotations).
describe('safe-text', () => {
  it.each([
    ['bidi override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['bidi isolates and the Arabic letter mark', '\u2066a\u2069\u061Cb', 'ab'],
    ['zero-width space, joiners, marks', 'a\u200Bb\u200Cc\u200Dd\u200Ee\u200Ff', 'abcdef'],
    ['word joiner and invisible operators (kept by host-failure before)', 'a\u2060b\u2064c', 'abc'],
    ['byte order mark (kept by host-failure before)', '\uFEFFdb', 'db'],
    ['tag characters (kept by host-failure before)', 'ok\u{E0001}\u{E0041}\u{E007F}', 'ok'],
    ['soft hyphen, Mongolian vowel separator', 'pass\u00ADword\u180E', 'password'],
    ['deprecated format characters', 'a\u206Ab\u206F', 'ab'],
    ['interlinear annotation', 'a\uFFF9hidden\uFFFBb', 'ahiddenb'],
    ['C0, DEL and C1 become spaces', 'a\u0000b\u007Fc\u009Bd', 'a b c d'],
    ['line and paragraph separators become spaces', 'a\u2028b\u2029c', 'a b c'],
    ['an escape sequence loses its ESC', '\u001b[2Jx', ' [2Jx'],
    ['variation selectors and emoji stay', '❤\uFE0F 😀 é', '❤\uFE0F 😀 é'],
  ])('plainText: %s', (_title, input, expected) => {
    expect(plainText(input)).toBe(expected);
    expect(hasUnsafeChars(input)).toBe(input !== expected);
  });

  it('plainBlock keeps every kind of line break, as "\\n"', () => {
    expect(plainBlock('a\r\nb\rc\nd\u0085e\u2028f\u2029g\th\u202E')).toBe('a\nb\nc\nd\ne\nf\ng h');
  });

  it('oneLine collapses and trims; cleanLine also drops markup and shortens', () => {
    expect(oneLine('  a \n\t b\u200B  ')).toBe('a b');
    expect(cleanLine('a\u0000b\nc <b>d</b> <e', 100)).toBe('a b c d e');
    expect(cleanLine('<\u200Bscript>x', 100)).toBe('x');
    expect(cleanLine('y'.repeat(300), 120)).toHaveLength(121);
  });

  it('logText indents the lines after the first, so none passes for a line of its own', () => {
    expect(logText('first\nerror: forged\r\nthird\u001b[K')).toBe(
      'first\n  error: forged\n  third [K',
    );
  });

  it('escapeUnsafe shows each character as an escape', () => {
    expect(escapeUnsafe('nginx\u202E:1\u{E0041}\u0085')).toBe('nginx\\u202e:1\\u{e0041}\\u0085');
    expect(escapeUnsafe('plain')).toBe('plain');
  });

  it.each([
    ['short text as it is', 'abc', 5, 'abc'],
    ['at a word boundary when one is near', 'aaaaaaaaa bbbbbb', 10, 'aaaaaaaaa…'],
    ['mid-word when none is', 'abcdefghij', 5, 'abcde…'],
    ['never between the halves of a surrogate pair', 'ab😀cd', 3, 'ab…'],
  ])('shorten: %s', (_title, text, max, expected) => {
    expect(shorten(text, max)).toBe(expected);
  });
});
