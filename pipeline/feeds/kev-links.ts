import type { KevEntry } from './kev-schema.ts';

const MAX_URL = 2048;

/**
 * The URLs in a KEV entry's notes that may become links: absolute http(s) URLs without
 * credentials, as the WHATWG parser normalises them. Everything else in notes stays text.
 */
export function kevLinks(entry: Pick<KevEntry, 'notes'>): string[] {
  const links: string[] = [];
  for (const word of entry.notes.split(/[\s;]+/)) {
    if (!/^https?:\/\//i.test(word) || word.length > MAX_URL) continue;
    try {
      const url = new URL(word);
      const web = url.protocol === 'http:' || url.protocol === 'https:';
      if (web && url.hostname && !url.username && !url.password) links.push(url.href);
    } catch {
      // Not a URL after all: it stays in the notes as text.
    }
  }
  return [...new Set(links)];
}
