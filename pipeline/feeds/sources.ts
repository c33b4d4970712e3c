import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError } from '../errors.ts';
import { SOURCE_ERRORS, type FeedSourceProblem } from '../errors/source-errors.ts';
import type { FeedName } from '../vocabulary.ts';

/** Where each feed is published; DOCKPEEK_KEV_URL / DOCKPEEK_EPSS_URL override them. */
export const DEFAULT_FEED_URLS: Record<FeedName, string> = {
  kev: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  epss: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
};

/** The variable that overrides each feed's URL. */
export const FEED_URL_VARIABLES: Record<FeedName, string> = {
  kev: 'DOCKPEEK_KEV_URL',
  epss: 'DOCKPEEK_EPSS_URL',
};

/** Where a feed is read from: an http(s) URL, or a local file (offline use). */
export type FeedSource = { kind: 'http'; url: URL } | { kind: 'file'; path: string };

/**
 * Read a source as given in a variable or flag (`origin`): http(s)://…, file://…, or a path
 * (resolved against the working directory). Other schemes and URLs with credentials are refused.
 */
export function parseFeedSource(raw: string, origin: string): FeedSource {
  const text = raw.trim();
  const refuse = (problem: FeedSourceProblem, cause?: unknown): never => {
    throw createError(SOURCE_ERRORS.feedSourceInvalid, { origin, raw, problem }, { cause });
  };
  if (!text) refuse('empty');
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return { kind: 'file', path: path.resolve(text) };
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    return refuse('notUrl', error);
  }
  if (url.protocol === 'file:') return { kind: 'file', path: fileURLToPath(url) };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse('notHttp');
  // fetch refuses them, and they would end up in the feed record.
  if (url.username || url.password) refuse('credentials');
  return { kind: 'http', url };
}

/** A source as recorded and printed: the path, or the URL without its query (it may hold a token). */
export function describeFeedSource(source: FeedSource): string {
  if (source.kind === 'file') return source.path;
  const { origin, pathname, search } = source.url;
  return `${origin}${pathname}${search ? '?…' : ''}`;
}
