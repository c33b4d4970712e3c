import { createHash } from 'node:crypto';
import { isValidImageId } from '../scan/image-identity.ts';

// The names every reader gives the same things: page files, element ids, CVE pages.

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The file name of a CVE's page: the id when it is a safe file name, else a hash of it. */
export function cveSlug(id: string): string {
  return SAFE_ID.test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 16);
}

/**
 * The file name of an image's page: the first 16 hex digits of a valid image id, else of a hash
 * of the key. Only validated text reaches a path, so `sha256:../../x` cannot escape images/.
 */
export function imageSlug(key: string): string {
  const hex = isValidImageId(key) ? key.slice(7) : createHash('sha256').update(key).digest('hex');
  return hex.slice(0, 16);
}

/**
 * The element id of a container's row: `c-<host>-<name>`, each part escaped so that distinct
 * containers never share an id. Letters and digits stay; any other character becomes `_<hex>_`,
 * so the parts never contain "-" and suffixes such as `-dep` stay unambiguous.
 */
export function containerDomId(container: { host: string; name: string }): string {
  return `c-${escapeIdPart(container.host)}-${escapeIdPart(container.name)}`;
}

function escapeIdPart(text: string): string {
  return [...text]
    .map((ch) => (/[A-Za-z0-9]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`))
    .join('');
}
