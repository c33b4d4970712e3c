// A resumable JSON tokenizer for UTF-8 bytes that arrive in chunks (RFC 8259, as strict as
// JSON.parse; the caller checks that the bytes are UTF-8). It holds no value: the handler is told
// each token, and decides per value whether it wants it or whether it is skipped (then only its
// syntax is checked, and nothing is decoded). Memory is bounded by the nesting depth and by
// MAX_CAPTURE bytes of the one string being captured.
import { MAX_DEPTH, createNesting } from './json-nesting.ts';
import { createNumberScanner } from './json-number.ts';
import { createStringScanner } from './json-string.ts';

export { MAX_CAPTURE } from './json-string.ts';
export { MAX_DEPTH } from './json-nesting.ts';

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

// Where we are between tokens, and inside one.
const VALUE = 0; // a value (root, after ':' or after ',' in an array)
const ARRAY_FIRST = 1; // a value or ']'
const OBJECT_FIRST = 2; // a key or '}'
const KEY = 3; // a key (after ',')
const COLON = 4;
const AFTER = 5; // ',' or the container's end
const DONE = 6; // the root value is complete: only whitespace may follow
const STRING = 7;
const NUMBER = 8;
const LITERAL = 9;
const OBJECT = 1;
const ARRAY = 2;

const LITERALS = new Map<number, [string, true | false | null]>([
  [116, ['true', true]],
  [102, ['false', false]],
  [110, ['null', null]],
]);

/** Create a tokenizer feeding `handler`; `error` holds the first syntax error (then it stops). */
export function createJsonTokenizer(handler: JsonHandler) {
  let state = VALUE;
  let error: string | undefined;
  let offset = 0; // bytes consumed before the current chunk
  const nesting = createNesting();
  let skipDepth = 0; // > 0 while inside a skipped container
  let skipping = false; // the current scalar is skipped
  let isKey = false;
  const strings = createStringScanner();
  const numbers = createNumberScanner();
  let literal: [string, true | false | null] = ['', null];
  let literalAt = 0;

  const fail = (message: string, i?: number) => {
    error ??= i === undefined ? message : `${message} at position ${offset + i}`;
  };
  const top = nesting.top;
  const valueDone = () => {
    state = nesting.depth ? AFTER : DONE;
  };
  /** A value begins: ask the handler, unless inside a skipped container. */
  const begin = () => !skipDepth && handler.startValue();
  const scalar = (value: string | number | boolean | null) => {
    if (!skipping && !skipDepth) handler.scalar(value);
    skipping = false;
    valueDone();
  };
  const open = (kind: number) => {
    if (!nesting.push(kind)) return fail(`JSON nested deeper than ${MAX_DEPTH} levels`);
    if (!begin()) skipDepth += 1;
    else if (kind === OBJECT) handler.openObject();
    else handler.openArray();
    state = kind === OBJECT ? OBJECT_FIRST : ARRAY_FIRST;
  };
  const close = (kind: number, i: number) => {
    if (top() !== kind) return fail(unexpected(kind === OBJECT ? 125 : 93), i);
    nesting.pop();
    if (skipDepth) skipDepth -= 1;
    else handler.close();
    valueDone();
  };
  const startString = (key: boolean) => {
    isKey = key;
    if (!key) skipping = !begin();
    strings.start(key ? !skipDepth : !skipping);
    state = STRING;
  };
  const endString = () => {
    if (!isKey) return scalar(strings.value());
    if (!skipDepth) handler.key(strings.value());
    state = COLON;
  };

  /** One byte outside any token, at index `i` of the chunk. */
  const structural = (c: number, i: number) => {
    switch (state) {
      case VALUE:
      case ARRAY_FIRST:
        if (c === 93 /* ] */ && state === ARRAY_FIRST) close(ARRAY, i);
        else if (c === 123 /* { */) open(OBJECT);
        else if (c === 91 /* [ */) open(ARRAY);
        else if (c === 34 /* " */) startString(false);
        else if (c === 45 || (c >= 48 && c <= 57)) {
          skipping = !begin();
          numbers.start(c);
          state = NUMBER;
        } else if (LITERALS.has(c)) {
          skipping = !begin();
          literal = LITERALS.get(c)!;
          literalAt = 1;
          state = LITERAL;
        } else fail(unexpected(c), i);
        break;
      case OBJECT_FIRST:
      case KEY:
        if (c === 34) startString(true);
        else if (c === 125 /* } */ && state === OBJECT_FIRST) close(OBJECT, i);
        else fail('Expected a property name', i);
        break;
      case COLON:
        if (c === 58 /* : */) state = VALUE;
        else fail("Expected ':' after property name", i);
        break;
      case AFTER:
        if (c === 44 /* , */) state = top() === OBJECT ? KEY : VALUE;
        else if (c === 125) close(OBJECT, i);
        else if (c === 93) close(ARRAY, i);
        else fail(`Expected ',' or '${top() === OBJECT ? '}' : ']'}' after a value`, i);
        break;
      default: // DONE
        fail('Unexpected non-whitespace character after JSON', i);
    }
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
          const end = strings.scan(chunk, i);
          if (typeof end === 'object') fail(end.error, end.at);
          else if (end < 0) i = n;
          else {
            i = end;
            endString();
          }
          continue;
        }
        const c = chunk[i]!;
        if (state === NUMBER) {
          if (numbers.feed(c)) i++;
          else if (numbers.complete()) scalar(numbers.value());
          else fail('Unexpected token in number', i);
          continue;
        }
        if (state === LITERAL) {
          if (c !== literal[0].charCodeAt(literalAt)) fail(unexpected(c), i);
          else if (++literalAt === literal[0].length) scalar(literal[1]);
          i++;
          continue;
        }
        if (c !== 32 && c !== 10 && c !== 13 && c !== 9) structural(c, i);
        i++;
      }
      offset += n;
    },
    /** The input is complete: anything unfinished is an error. */
    end(): void {
      if (state === NUMBER && nesting.depth === 0 && numbers.complete()) scalar(numbers.value());
      if (state !== DONE) fail('Unexpected end of JSON input');
    },
  };
}

/** V8's wording; a byte that is not printable ASCII is shown by its value. */
function unexpected(c: number): string {
  const shown = c > 32 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
  return `Unexpected token ${shown}`;
}
