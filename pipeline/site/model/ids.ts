import { createHash } from 'node:crypto';
import { isValidImageId } from '../../scan/image-identity.ts';

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
