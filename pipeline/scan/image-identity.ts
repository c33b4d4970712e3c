// Image ids and references come from Docker hosts, which we do not trust: an id becomes a key in
// db.json and a file name on the site, a reference becomes trivy's last argument. Both are checked
// before trivy runs; an image that fails is recorded as image_invalid and never scanned.

import { escapeUnsafe } from '../safe-text.ts';

/** The longest reference accepted (Docker allows 255 for the name, 128 for the tag, plus a digest). */
export const MAX_REF_LENGTH = 512;

const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;
// The characters of Docker's reference grammar: domain[:port]/path[:tag][@algo:hex].
const REF_CHARS = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

/** Whether an image id is `sha256:` and 64 lowercase hex digits (safe as a key and a file name). */
export function isValidImageId(id: string): boolean {
  return IMAGE_ID.test(id);
}

/** What is wrong with an image id, or undefined; an empty id is allowed (the reference keys it). */
export function imageIdProblem(id: string): string | undefined {
  if (id === '' || isValidImageId(id)) return undefined;
  return `image id ${quote(id)} is not "sha256:" followed by 64 lowercase hex digits`;
}

/** What is wrong with an image reference, or undefined when it is a plausible Docker reference. */
export function imageRefProblem(ref: string): string | undefined {
  if (ref === '') return 'the image has neither a reference nor an id';
  if (ref.length > MAX_REF_LENGTH)
    return `image reference is ${ref.length} characters long (at most ${MAX_REF_LENGTH})`;
  if (ref.startsWith('-'))
    return `image reference ${quote(ref)} starts with "-", which trivy would read as an option`;
  // eslint-disable-next-line no-control-regex
  const control = /[\s\u0000-\u001f\u007f-\u009f]/.exec(ref);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase();
    return `image reference ${quote(ref)} contains whitespace or a control character (U+${code} at position ${control.index})`;
  }
  if (!REF_CHARS.test(ref)) {
    const odd = [...ref].find((ch) => !/[A-Za-z0-9._/:@-]/.test(ch)) ?? ref[0]!;
    return `image reference ${quote(ref)} contains ${quote(odd)}, which no Docker reference has`;
  }
  return undefined;
}

/** A hostile value shown safely in a message: escaped, on one line, at most 80 characters. */
function quote(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  // JSON escapes C0 controls; DEL, C1, bidi and zero-width characters are escaped here too.
  return escapeUnsafe(JSON.stringify(shown));
}
