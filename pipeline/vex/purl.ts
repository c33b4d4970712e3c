// Package URLs (https://github.com/package-url/purl-spec), as far as matching needs them:
// pkg:type/namespace/name@version?qualifiers#subpath, each part percent-decoded.
import { createDataRecord, ownValue } from '../data-keys.ts';

/** A parsed package URL. */
export interface Purl {
  type: string;
  /** Path segments before the name, joined with "/"; "" when absent. */
  namespace: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
  subpath?: string;
}

/** Parse a purl; null when `text` is not one. */
export function parsePurl(text: string): Purl | null {
  const match = /^pkg:\/*([a-zA-Z.+-][a-zA-Z0-9.+-]*)\/([^?#]+)(?:\?([^#]*))?(?:#(.*))?$/.exec(
    text.trim(),
  );
  if (!match) return null;
  const [, rawType, rest, query, subpath] = match;
  let remainder = rest!.replace(/\/+$/, '');
  let version: string | null | undefined;
  // The version follows the last "@" after the last "/" (an npm scope's "@" is in the namespace).
  const at = remainder.lastIndexOf('@');
  if (at > remainder.lastIndexOf('/')) {
    version = decode(remainder.slice(at + 1));
    remainder = remainder.slice(0, at);
  }
  const segments = remainder.split('/').map(decode);
  if (segments.some((s) => s === null) || version === null) return null;
  const type = rawType!.toLowerCase();
  const name = normaliseName(type, segments.pop() as string);
  if (!name) return null;
  const qualifiers = createDataRecord<string>();
  for (const pair of query ? query.split('&') : []) {
    const eq = pair.indexOf('=');
    const value = eq > 0 ? decode(pair.slice(eq + 1)) : null;
    if (value === null) return null;
    if (value !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = value;
  }
  return {
    type,
    namespace: (segments as string[]).join('/'),
    name,
    ...(version ? { version } : {}),
    qualifiers,
    ...(subpath ? { subpath: subpath.replace(/^\/+|\/+$/g, '') } : {}),
  };
}

/**
 * Whether `target` (a finding's package) is one `pattern` (a rule's purl) names: the same type,
 * namespace and name; the same version when the pattern has one; and every qualifier the pattern
 * has, with the same value. A pattern without a version names every version.
 */
export function purlMatches(pattern: Purl, target: Purl): boolean {
  if (pattern.type !== target.type || pattern.name !== target.name) return false;
  if (pattern.namespace !== target.namespace) return false;
  if (pattern.version !== undefined && pattern.version !== target.version) return false;
  if (pattern.subpath !== undefined && pattern.subpath !== target.subpath) return false;
  return Object.entries(pattern.qualifiers).every(([k, v]) => ownValue(target.qualifiers, k) === v);
}

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

// PyPI treats case, "-" and "_" alike (the purl spec lower-cases and dashes; Trivy does too).
function normaliseName(type: string, name: string): string {
  return type === 'pypi' ? name.toLowerCase().replace(/_/g, '-') : name;
}
