// Text from outside (Docker hosts, Trivy reports, feeds, notification receivers) is shown on
// pages, printed and sent. One character set decides what never gets through, so that no path is
// weaker than another: in a security tool the weakest sanitiser is the one that counts.

/**
 * C0 and C1 controls, DEL, and the line and paragraph separators (U+2028, U+2029): they break
 * lines and drive terminals (escape sequences). Global: for `replace` and `match`, not `test`.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Invisible format characters. Bidi controls (U+061C, U+200E–U+200F, U+202A–U+202E,
 * U+2066–U+2069) make text display as something else ("invoice\u202Efdp.exe" shows as
 * "invoiceexe.pdf"); zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF), the soft
 * hyphen (U+00AD), U+180E and the deprecated U+206A–U+206F make different values look the same;
 * interlinear annotations (U+FFF9–U+FFFB) and tag characters (U+E0000–U+E007F) carry text no one
 * sees. Variation selectors stay: they only pick a glyph. Global: for `replace` and `match`.
 */
export const INVISIBLE_CHARS =
  /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/** Every character this module removes or replaces: CONTROL_CHARS and INVISIBLE_CHARS. */
export const UNSAFE_CHARS = new RegExp(`${CONTROL_CHARS.source}|${INVISIBLE_CHARS.source}`, 'gu');

// Not global, so `test` keeps no state between calls.
const ANY_UNSAFE = new RegExp(UNSAFE_CHARS.source, 'u');
const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/;

/** Whether text holds any control or invisible character. */
export function hasUnsafeChars(text: string): boolean {
  return ANY_UNSAFE.test(text);
}

/**
 * Text as it came, minus what deceives: controls become spaces, invisible characters go. Nothing
 * else changes, and the text never grows, so a length cap checked before still holds.
 */
export function plainText(text: string): string {
  // Most text is clean: no copy then.
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(CONTROL_CHARS, ' ').replace(INVISIBLE_CHARS, '');
}

/** As plainText, but line breaks (CRLF, CR, LF, NEL, U+2028, U+2029) stay, each as "\n". */
export function plainBlock(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.split(LINE_BREAK).map(plainText).join('\n');
}

/** plainText on one line: whitespace runs become one space, and the ends are trimmed. */
export function oneLine(text: string): string {
  return plainText(text).replace(/\s+/g, ' ').trim();
}

/**
 * Text for a terminal or a log: each line as plainText, and the lines after the first indented,
 * so text from outside can neither drive the terminal nor pass for a line of its own.
 */
export function logText(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text.replaceAll('\n', '\n  ');
  return text.split(LINE_BREAK).map(plainText).join('\n  ');
}

/**
 * One safe line of plain text for a message: oneLine, tags and angle brackets dropped (no HTML
 * reaches a message), at most `max` characters (then an ellipsis).
 */
export function cleanLine(text: string, max: number): string {
  const plain = oneLine(
    plainText(text)
      .replace(/<[^<>]*>/g, ' ')
      .replace(/[<>]/g, ''),
  );
  return shorten(plain, max);
}

/**
 * Each control or invisible character written as its escape ("\u202e", "\u{e0041}"): for a
 * diagnostic that must show what was there, and for an identity (an image reference) that must
 * stay distinct from its clean form, so that it is still refused.
 */
export function escapeUnsafe(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_CHARS, (c) => {
    const hex = c.codePointAt(0)!.toString(16);
    return hex.length > 4 ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
  });
}

/**
 * Cut text to `max` characters at a word boundary when one is near, with an ellipsis; never
 * between the halves of a surrogate pair.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}
