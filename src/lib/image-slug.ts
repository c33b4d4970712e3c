import { createHash } from 'node:crypto';

/** A short, URL-safe file name for an image key (sha256:… id, or ref:… when there is none). */
export function imageSlug(key: string): string {
  const hex = key.startsWith('sha256:')
    ? key.slice(7)
    : createHash('sha256').update(key).digest('hex');
  return hex.slice(0, 16);
}

/** Relative link from a page at `depth` folders below the site root to an image page. */
export function imageHref(key: string, depth: number): string {
  return `${'../'.repeat(depth)}images/${imageSlug(key)}.html`;
}
