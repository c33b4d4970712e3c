// The grammar of an image reference (distribution/reference), enough to refuse anything else
// before it becomes part of a request path.
const COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${COMPONENT}(?:\\.${COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?`;
const PATH = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH}(?:/${PATH})*(?::${TAG})?(?:@${DIGEST})?$`);

/** Whether `ref` is a plausible image reference (nginx:1.27, registry.lan:5000/team/app:1). */
export function isPlausibleReference(ref: string): boolean {
  return ref.length <= 512 && REFERENCE.test(ref);
}

/** GET /distribution/{ref}/json, each path segment URL-encoded. */
export function distributionPath(ref: string): string {
  return `/distribution/${ref.split('/').map(encodeURIComponent).join('/')}/json`;
}
