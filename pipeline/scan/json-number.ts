// A JSON number read one byte at a time: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?

/** A number longer than any real one is not read: NaN fails any schema that wants a number. */
const MAX_NUMBER = 1024;

const NUMBER = {
  SIGN: 0, // after '-'
  ZERO: 1, // a leading 0
  INT: 2,
  DOT: 3,
  FRACTION: 4,
  E: 5,
  E_SIGN: 6,
  EXPONENT: 7,
} as const;
const COMPLETE = new Set<number>([NUMBER.ZERO, NUMBER.INT, NUMBER.FRACTION, NUMBER.EXPONENT]);

/** The grammar of one number, fed byte by byte. */
export function createNumberScanner() {
  let state: number = NUMBER.SIGN;
  let text = '';
  return {
    /** The first byte: '-' or a digit. */
    start(c: number): void {
      text = String.fromCharCode(c);
      state = c === 45 ? NUMBER.SIGN : c === 48 ? NUMBER.ZERO : NUMBER.INT;
    },
    /** The next byte; false when it is not part of the number (it is then not consumed). */
    feed(c: number): boolean {
      const next = step(state, c);
      if (next < 0) return false;
      state = next;
      if (text.length <= MAX_NUMBER) text += String.fromCharCode(c);
      return true;
    },
    /** Whether what was read so far is a whole number. */
    complete: (): boolean => COMPLETE.has(state),
    value: (): number => (text.length > MAX_NUMBER ? Number.NaN : Number(text)),
  };
}

/** The state after byte `c`, or -1 when `c` cannot continue the number. */
function step(state: number, c: number): number {
  const digit = c >= 48 && c <= 57;
  const e = c === 101 || c === 69;
  switch (state) {
    case NUMBER.SIGN:
      return !digit ? -1 : c === 48 ? NUMBER.ZERO : NUMBER.INT;
    case NUMBER.ZERO:
      return c === 46 ? NUMBER.DOT : e ? NUMBER.E : -1;
    case NUMBER.INT:
      return digit ? NUMBER.INT : c === 46 ? NUMBER.DOT : e ? NUMBER.E : -1;
    case NUMBER.DOT:
      return digit ? NUMBER.FRACTION : -1;
    case NUMBER.FRACTION:
      return digit ? NUMBER.FRACTION : e ? NUMBER.E : -1;
    case NUMBER.E:
      return c === 43 || c === 45 ? NUMBER.E_SIGN : digit ? NUMBER.EXPONENT : -1;
    case NUMBER.E_SIGN:
      return digit ? NUMBER.EXPONENT : -1;
    default:
      return digit ? NUMBER.EXPONENT : -1;
  }
}
