// A resumable JSON tokenizer for UTF-8 bytes that arrive in chunks (RFC 8259, as strict as
// JSON.parse; the caller checks that the bytes are UTF-8). It holds no value: the handler is told
// each token, and decides per value whether it wants it or whether it is skipped (then only its
// syntax is checked, and nothing is decoded). Memory is bounded by the nesting depth and by
// MAX_CAPTURE bytes of the one string being captured.

/** Receives the tokens of one JSON text. */
export interface JsonHandler {
  /** A value starts here: true to be told its tokens, false to skip it whole. */
  startValue(): boolean;
  openObject(): void;
  openArray(): void;
  close(): void;
  key(name: string): void;
  scalar(value: string | number | boolean | null): void;
}

/** Longest string kept, in bytes; the rest of a longer one is checked and dropped. */
export const MAX_CAPTURE = 65_536;
/** Deeper nesting is refused (JSON.parse would accept it, but nothing Trivy prints is that deep). */
export const MAX_DEPTH = 1_000_000;
const MAX_NUMBER = 1024;

// Grammar states between tokens.
const VALUE = 0; // a value (root, after ':' or after ',' in an array)
const ARRAY_FIRST = 1; // a value or ']'
const OBJECT_FIRST = 2; // a key or '}'
const KEY = 3; // a key (after ',')
const COLON = 4;
const AFTER = 5; // ',' or the container's end
const DONE = 6; // the root value is complete: only whitespace may follow
// Inside a token.
const STRING = 7;
const NUMBER = 8;
const LITERAL = 9;

const LITERALS: Record<string, [string, true | false | null]> = {
  t: ['true', true],
  f: ['false', false],
  n: ['null', null],
};

/** Create a tokenizer feeding `handler`; `fail` gets the first syntax error (then nothing more). */
export function createJsonTokenizer(handler: JsonHandler) {
  let state = VALUE;
  let error: string | undefined;
  let offset = 0; // characters consumed before the current chunk
  const stack = { kinds: new Uint8Array(64), depth: 0 }; // 1 = object, 2 = array
  let skipDepth = 0; // > 0 while inside a skipped container
  let skipping = false; // the current scalar token is skipped
  // The token in progress.
  let isKey = false;
  let escape = 0; // 0 none, 1 after '\', 2..5 inside \uXXXX
  let escaped = false; // the string has an escape: decoded bytes still need unescaping
  // A string that spans chunks is copied here; one within a chunk is decoded from the chunk.
  const spill = Buffer.alloc(MAX_CAPTURE + 16);
  let captured = 0;
  let capturing = false;
  let text = ''; // number or literal characters
  let numberState = 0;
  let literal: [string, true | false | null] = ['', null];

  const fail = (message: string) => {
    error ??= message;
  };
  const at = (i: number) => offset + i;
  const push = (kind: number) => {
    if (stack.depth >= MAX_DEPTH) return fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
    if (stack.depth === stack.kinds.length) {
      const grown = new Uint8Array(stack.kinds.length * 2);
      grown.set(stack.kinds);
      stack.kinds = grown;
    }
    stack.kinds[stack.depth++] = kind;
  };
  const top = () => (stack.depth ? stack.kinds[stack.depth - 1]! : 0);
  const valueDone = () => {
    state = stack.depth ? AFTER : DONE;
  };
  /** A value begins: ask the handler unless inside a skipped container. */
  const begin = (): boolean => {
    if (skipDepth) return false;
    return handler.startValue();
  };
  const emitScalar = (value: string | number | boolean | null) => {
    if (!skipping && !skipDepth) handler.scalar(value);
    skipping = false;
    valueDone();
  };
  const open = (kind: number) => {
    if (skipDepth || !begin()) skipDepth += 1;
    else if (kind === 1) handler.openObject();
    else handler.openArray();
    push(kind);
    state = kind === 1 ? OBJECT_FIRST : ARRAY_FIRST;
  };
  const closeContainer = (kind: number, i: number) => {
    if (top() !== kind) return fail(unexpected(kind === 1 ? 125 : 93, at(i)));
    stack.depth -= 1;
    if (skipDepth) skipDepth -= 1;
    else handler.close();
    valueDone();
  };
  const startString = (key: boolean) => {
    isKey = key;
    if (key) capturing = !skipDepth;
    else capturing = !(skipping = !begin());
    captured = 0;
    escape = 0;
    escaped = false;
    state = STRING;
  };
  const keepBytes = (chunk: Buffer, from: number, end: number) => {
    captured += chunk.copy(spill, captured, from, end);
  };
  const endString = (chunk: Buffer, from: number, end: number) => {
    let value = '';
    if (capturing && captured === 0) value = chunk.toString('utf8', from, end);
    else {
      if (capturing) keepBytes(chunk, from, end);
      value = spill.toString('utf8', 0, captured);
    }
    // Escapes are ASCII, so the decoded text still holds them; JSON.parse undoes them.
    if (escaped && value) value = JSON.parse(`"${value}"`) as string;
    if (isKey) {
      if (!skipDepth) handler.key(value);
      state = COLON;
    } else emitScalar(value);
  };

  /** Scan one string's bytes from `i`; returns the index after it, or chunk.length. */
  const scanString = (chunk: Buffer, i: number): number => {
    const from = i;
    const n = chunk.length;
    // Past this index a captured string has reached MAX_CAPTURE bytes.
    let limit = capturing ? from + MAX_CAPTURE - captured : n;
    for (; i < n; i++) {
      const c = chunk[i]!;
      if (escape === 0) {
        // The hot path: an ordinary byte of a string not yet too long.
        if (c >= 32 && c !== 34 && c !== 92 && i < limit) continue;
        // Enough kept: cut here (not inside an escape or a UTF-8 sequence); check the rest only.
        if (capturing && i >= limit && (c & 0xc0) !== 0x80) {
          keepBytes(chunk, from, i);
          capturing = false;
          limit = n;
        }
        if (c === 34 /* " */) {
          endString(chunk, from, i);
          return i + 1;
        }
        if (c === 92 /* \ */) escape = 1;
        else if (c < 32) {
          fail(`Bad control character in string literal at position ${at(i)}`);
          return chunk.length;
        }
      } else if (escape === 1) {
        escaped = true;
        if (c === 117 /* u */) escape = 2;
        else if (ESCAPES.has(c)) escape = 0;
        else {
          fail(`Bad escaped character in JSON at position ${at(i)}`);
          return chunk.length;
        }
      } else if (isHex(c)) escape = escape === 5 ? 0 : escape + 1;
      else {
        fail(`Bad Unicode escape in JSON at position ${at(i)}`);
        return chunk.length;
      }
    }
    if (capturing) keepBytes(chunk, from, chunk.length);
    return i;
  };

  /** Feed one number character; false when it ends the number (the character is not consumed). */
  const numberChar = (c: number): boolean => {
    const digit = c >= 48 && c <= 57;
    switch (numberState) {
      case 0: // after '-'
        if (!digit) return false;
        numberState = c === 48 ? 1 : 2;
        return true;
      case 1: // after a leading 0
        if (c === 46) return ((numberState = 3), true);
        if (c === 101 || c === 69) return ((numberState = 5), true);
        return false;
      case 2: // integer digits
        if (digit) return true;
        if (c === 46) return ((numberState = 3), true);
        if (c === 101 || c === 69) return ((numberState = 5), true);
        return false;
      case 3: // after '.'
        if (!digit) return false;
        return ((numberState = 4), true);
      case 4: // fraction digits
        if (digit) return true;
        if (c === 101 || c === 69) return ((numberState = 5), true);
        return false;
      case 5: // after 'e'
        if (c === 43 || c === 45) return ((numberState = 6), true);
        if (!digit) return false;
        return ((numberState = 7), true);
      case 6: // after the exponent's sign
        if (!digit) return false;
        return ((numberState = 7), true);
      default: // exponent digits
        return digit;
    }
  };
  const endNumber = (i: number): boolean => {
    if (numberState !== 1 && numberState !== 2 && numberState !== 4 && numberState !== 7) {
      fail(
        i < 0 ? 'Unexpected end of JSON input' : `Unexpected token in number at position ${at(i)}`,
      );
      return false;
    }
    // A number longer than any real one: not read (NaN fails any schema that wants a number).
    emitScalar(text.length > MAX_NUMBER ? Number.NaN : Number(text));
    return true;
  };

  return {
    /** The first syntax error, if any. */
    get error() {
      return error;
    },
    /** Feed the next bytes. */
    write(chunk: Buffer): void {
      let i = 0;
      const n = chunk.length;
      while (i < n && error === undefined) {
        if (state === STRING) {
          i = scanString(chunk, i);
          continue;
        }
        const c = chunk[i]!;
        if (state === NUMBER) {
          if (numberChar(c)) {
            if (text.length <= MAX_NUMBER) text += String.fromCharCode(c);
            i++;
          } else if (!endNumber(i)) return;
          continue;
        }
        if (state === LITERAL) {
          if (c !== literal[0].charCodeAt(text.length)) return fail(unexpected(c, at(i)));
          text += String.fromCharCode(c);
          i++;
          if (text.length === literal[0].length) emitScalar(literal[1]);
          continue;
        }
        i++;
        if (c === 32 || c === 10 || c === 13 || c === 9) continue;
        const pos = i - 1;
        switch (state) {
          case VALUE:
          case ARRAY_FIRST:
            if (c === 93 /* ] */ && state === ARRAY_FIRST) closeContainer(2, pos);
            else if (c === 123 /* { */) open(1);
            else if (c === 91 /* [ */) open(2);
            else if (c === 34) startString(false);
            else if (c === 45 || (c >= 48 && c <= 57)) {
              skipping = !begin();
              text = String.fromCharCode(c);
              numberState = c === 45 ? 0 : c === 48 ? 1 : 2;
              state = NUMBER;
            } else if (c === 116 || c === 102 || c === 110 /* t f n */) {
              skipping = !begin();
              literal = LITERALS[String.fromCharCode(c)]!;
              text = String.fromCharCode(c);
              state = LITERAL;
            } else fail(unexpected(c, at(pos)));
            break;
          case OBJECT_FIRST:
          case KEY:
            if (c === 34) startString(true);
            else if (c === 125 /* } */ && state === OBJECT_FIRST) closeContainer(1, pos);
            else fail(`Expected a property name at position ${at(pos)}`);
            break;
          case COLON:
            if (c === 58 /* : */) state = VALUE;
            else fail(`Expected ':' after property name at position ${at(pos)}`);
            break;
          case AFTER:
            if (c === 44 /* , */) state = top() === 1 ? KEY : VALUE;
            else if (c === 125) closeContainer(1, pos);
            else if (c === 93) closeContainer(2, pos);
            else
              fail(
                `Expected ',' or '${top() === 1 ? '}' : ']'}' after a value at position ${at(pos)}`,
              );
            break;
          default: // DONE
            fail(`Unexpected non-whitespace character after JSON at position ${at(pos)}`);
        }
      }
      offset += n;
    },
    /** The input is complete: anything unfinished is an error. */
    end(): void {
      if (error !== undefined) return;
      if (state === NUMBER && stack.depth === 0) {
        endNumber(-1);
        return;
      }
      if (state !== DONE) fail('Unexpected end of JSON input');
    },
  };
}

const ESCAPES = new Set([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));

/** V8's wording; a byte that is not printable ASCII is shown by its value. */
function unexpected(c: number, position: number): string {
  const shown = c > 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
  return `Unexpected token ${shown} at position ${position}`;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
