import { shorten } from '../site/model/findings.ts';

// C0 and C1 controls and DEL (newlines included: every cleaned text is one line), plus the bidi
// and zero-width characters that make text display as something else.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE =
  /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/gu;

/**
 * Scan data (Trivy titles, error messages) as one safe line of plain text: controls and invisible
 * characters removed, tags and angle brackets dropped (no HTML reaches a message), whitespace
 * collapsed, at most `max` characters.
 */
export function cleanText(text: string, max: number): string {
  const plain = text
    .replace(CONTROL, ' ')
    .replace(INVISIBLE, '')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/[<>]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return shorten(plain, max);
}
