// One JSON string's bytes, scanned across chunks: checked like JSON.parse checks them (no raw
// control characters, only valid escapes), and decoded only when captured, at most
// MAX_CAPTURE bytes of it (the rest is checked and dropped).

/** Longest string kept, in bytes. */
export const MAX_CAPTURE = 65_536;

const ESCAPES = new Set([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));

/** The string scanner of a tokenizer; `scan` reports where the string ends, or why it is bad. */
export function createStringScanner() {
  let escape = 0; // 0 none, 1 after '\', 2..5 inside \uXXXX
  let escaped = false; // an escape was seen: the decoded text still needs unescaping
  let capturing = false;
  // A string that spans chunks is copied here; one within a chunk is decoded from the chunk.
  const spill = Buffer.alloc(MAX_CAPTURE + 16);
  let captured = 0;
  let value = '';
  const keep = (chunk: Buffer, from: number, end: number) => {
    captured += chunk.copy(spill, captured, from, end);
  };
  const finish = (chunk: Buffer, from: number, end: number) => {
    if (capturing && captured === 0) value = chunk.toString('utf8', from, end);
    else {
      if (capturing) keep(chunk, from, end);
      value = captured ? spill.toString('utf8', 0, captured) : '';
    }
    // Escapes are ASCII, so the decoded text still holds them; JSON.parse undoes them.
    if (escaped && value) value = JSON.parse(`"${value}"`) as string;
  };
  return {
    /** After the opening quote; `capture` false for a string nobody wants (not decoded). */
    start(capture: boolean): void {
      capturing = capture;
      escape = 0;
      escaped = false;
      captured = 0;
      value = '';
    },
    /** The finished string ('' when it was not captured). */
    value: (): string => value,
    /**
     * Scan from `i`: the index after the closing quote, -1 when the chunk ended inside the
     * string, or an error message with the offending index.
     */
    scan(chunk: Buffer, i: number): number | { error: string; at: number } {
      const from = i;
      const n = chunk.length;
      // Past this index a captured string has reached MAX_CAPTURE bytes.
      let limit = capturing ? from + MAX_CAPTURE - captured : n;
      for (; i < n; i++) {
        const c = chunk[i]!;
        if (escape === 0) {
          // The hot path: an ordinary byte of a string not yet too long.
          if (c >= 32 && c !== 34 && c !== 92 && i < limit) continue;
          // Enough kept: cut here (not inside an escape or a UTF-8 sequence), check the rest.
          if (capturing && i >= limit && (c & 0xc0) !== 0x80) {
            keep(chunk, from, i);
            capturing = false;
            limit = n;
          }
          if (c === 34 /* " */) {
            finish(chunk, from, i);
            return i + 1;
          }
          if (c === 92 /* \ */) escape = 1;
          else if (c < 32) return { error: 'Bad control character in string literal', at: i };
        } else if (escape === 1) {
          escaped = true;
          if (c === 117 /* u */) escape = 2;
          else if (ESCAPES.has(c)) escape = 0;
          else return { error: 'Bad escaped character in JSON', at: i };
        } else if (isHex(c)) escape = escape === 5 ? 0 : escape + 1;
        else return { error: 'Bad Unicode escape in JSON', at: i };
      }
      if (capturing) keep(chunk, from, n);
      return -1;
    },
  };
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
