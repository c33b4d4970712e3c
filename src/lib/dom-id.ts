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
