// Splits a streamed JSON array into the bytes of its elements without ever holding the whole
// body: it tracks only nesting depth, whether it is inside a string and whether the last byte was
// a backslash. Each element's bytes go to JSON.parse on their own, so a 1 GiB answer is never one
// string (V8 cannot hold one, ERR_STRING_TOO_LONG) and memory stays at one element.

/** What the splitter reports to its owner. */
export interface SplitterHandlers {
  /** One complete element, as its raw bytes (whitespace around it removed). */
  onElement(bytes: Buffer, index: number): void;
  /** An element longer than the per-element cap: its bytes were dropped while scanning on. */
  onOversized(index: number, bytes: number): void;
}

/** Feed chunks in order; each call returns a problem (the body is not a JSON array) or undefined. */
export interface ArraySplitter {
  push(chunk: Uint8Array): string | undefined;
  end(): string | undefined;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
const [QUOTE, BACKSLASH, COMMA] = [0x22, 0x5c, 0x2c];

type State = 'start' | 'first' | 'element' | 'inside' | 'after' | 'done';

/** A splitter for one top-level JSON array, with a byte cap per element. */
export function createArraySplitter(
  maxElementBytes: number,
  handlers: SplitterHandlers,
): ArraySplitter {
  let state: State = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let index = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let failed: string | undefined;

  const keep = (chunk: Buffer, from: number, to: number) => {
    size += to - from;
    if (oversized) return;
    if (size > maxElementBytes) {
      oversized = true;
      parts = [];
      return;
    }
    parts.push(chunk.subarray(from, to));
  };
  const finish = () => {
    if (oversized) handlers.onOversized(index, size);
    // Copied: the chunk slices would otherwise keep whole 64 KiB chunks alive.
    else handlers.onElement(Buffer.concat(parts, size), index);
    index += 1;
    parts = [];
    size = 0;
    oversized = false;
    state = 'after';
  };
  const problem = (text: string) => (failed = text);

  function push(input: Uint8Array): string | undefined {
    if (failed) return failed;
    const chunk = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    // An element that began in an earlier chunk continues at this chunk's first byte.
    let start = state === 'inside' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (state === 'inside') {
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
          if (!inString && depth === 0) {
            keep(chunk, start, i + 1);
            start = -1;
            finish();
          }
          continue;
        }
        if (byte === QUOTE) inString = true;
        else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) depth += 1;
        else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
          if (depth === 0) {
            if (byte === CLOSE_OBJECT) return problem(`unexpected "}" in array entry #${index}`);
            // The array's own "]" right after a bare element (a number, true, …).
            keep(chunk, start, i);
            start = -1;
            finish();
            state = 'done';
            continue;
          }
          depth -= 1;
          if (depth === 0) {
            keep(chunk, start, i + 1);
            start = -1;
            finish();
          }
        } else if (depth === 0 && (byte === COMMA || WHITESPACE.has(byte))) {
          keep(chunk, start, i);
          start = -1;
          finish();
          if (byte === COMMA) state = 'element';
        }
        continue;
      }
      if (WHITESPACE.has(byte)) continue;
      if (state === 'start') {
        if (byte !== OPEN_ARRAY) return problem('the answer is not a JSON array');
        state = 'first';
      } else if (state === 'first' && byte === CLOSE_ARRAY) state = 'done';
      else if (state === 'first' || state === 'element') {
        if (byte === COMMA || byte === CLOSE_ARRAY || byte === CLOSE_OBJECT)
          return problem(`unexpected "${String.fromCharCode(byte)}" where an array entry starts`);
        state = 'inside';
        start = i;
        inString = byte === QUOTE;
        depth = byte === OPEN_ARRAY || byte === OPEN_OBJECT ? 1 : 0;
      } else if (state === 'after') {
        if (byte === COMMA) state = 'element';
        else if (byte === CLOSE_ARRAY) state = 'done';
        else
          return problem(`unexpected "${String.fromCharCode(byte)}" after array entry #${index}`);
      } else return problem('more data after the end of the JSON array');
    }
    if (state === 'inside' && start >= 0) keep(chunk, start, chunk.length);
    return undefined;
  }

  function end(): string | undefined {
    if (failed) return failed;
    if (state === 'start') return problem('the answer is empty where a JSON array was expected');
    if (state !== 'done') return problem('the answer ended before its JSON array was complete');
    return undefined;
  }

  return { push, end };
}
