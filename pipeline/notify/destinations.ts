import { createHash } from 'node:crypto';
import { createError } from '../errors.ts';
import { NOTIFY_ERRORS } from '../errors/notify-errors.ts';

/** How a destination is reached: built-in ntfy or JSON webhook, or the apprise CLI. */
export type DestinationKind = 'ntfy' | 'json' | 'apprise';

/** One configured notification URL. `url` holds credentials: it is never printed or stored. */
export interface Destination {
  /** A hash of the URL: how notify-state.json names it. */
  id: string;
  kind: DestinationKind;
  /** The scheme as written (`ntfys`, `discord`, …), lower case. */
  scheme: string;
  /** The URL apprise or the built-in sender uses (for `apprise+x://`, the `x://` URL). */
  url: string;
  /** Its place in DOCKPEEK_NOTIFY_URLS, from 1. */
  position: number;
  /** What output shows: scheme and host only, and the position in the list. */
  label: string;
}

const VARIABLE = 'DOCKPEEK_NOTIFY_URLS';
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i;
const BUILT_IN: Record<string, DestinationKind> = {
  ntfy: 'ntfy',
  ntfys: 'ntfy',
  json: 'json',
  jsons: 'json',
};

/**
 * Parse DOCKPEEK_NOTIFY_URLS: URLs separated by commas (a comma inside a URL, as in
 * `mailto://…?to=a@x,b@x`, stays: only a comma before `scheme://` separates). Errors name
 * the item by position and scheme, never its text (it may hold a password).
 */
export function parseDestinations(value: string | undefined): Destination[] {
  if (!value?.trim()) return [];
  // A comma followed by another comma or the end also separates: an empty item is an error.
  const items = value.trim().split(/,\s*(?=[a-z][a-z0-9+.-]*:\/\/|,|$)/i);
  return items.map((raw, index) => parseOne(raw.trim(), index + 1));
}

function parseOne(raw: string, position: number): Destination {
  const where = `${VARIABLE} item ${position}`;
  if (!raw) throw createError(NOTIFY_ERRORS.notifyUrlEmpty, { where });
  const match = SCHEME.exec(raw);
  if (!match || /[\s\u0000-\u001f\u007f]/.test(raw))
    throw createError(NOTIFY_ERRORS.notifyUrlMalformed, { where });
  let scheme = match[1]!.toLowerCase();
  let kind: DestinationKind = BUILT_IN[scheme] ?? 'apprise';
  const forced = scheme.startsWith('apprise+');
  if (forced) {
    // apprise+json://… sends a built-in scheme through apprise instead.
    scheme = scheme.slice('apprise+'.length);
    kind = 'apprise';
  }
  if (!/^[a-z][a-z0-9]*$/.test(scheme))
    throw createError(NOTIFY_ERRORS.notifySchemeInvalid, { where, scheme });
  const url = `${scheme}://${match[2]!}`;
  if (kind !== 'apprise') checkBuiltIn(url, scheme, where);
  const id = createHash('sha256').update(`${kind}\u0000${url}`).digest('hex').slice(0, 12);
  const label = `${forced ? 'apprise+' : ''}${labelOf(url, kind)} (#${position})`;
  return { id, kind, scheme, url, position, label };
}

/** Built-in URLs must parse as http(s) URLs with a host and, for ntfy, a topic. */
function checkBuiltIn(url: string, scheme: string, where: string): void {
  let parsed: URL;
  try {
    parsed = httpUrl(url);
  } catch (error) {
    throw createError(NOTIFY_ERRORS.notifyUrlInvalid, { where, scheme }, { cause: error });
  }
  if (!parsed.hostname) throw createError(NOTIFY_ERRORS.notifyUrlNoHost, { where, scheme });
  if (scheme.startsWith('ntfy')) {
    if (parsed.pathname.replace(/\//g, '') === '')
      throw createError(NOTIFY_ERRORS.ntfyNoTopic, { where, scheme });
    const unknown = [...parsed.searchParams.keys()].filter((k) => k !== 'token');
    if (unknown.length)
      throw createError(NOTIFY_ERRORS.ntfyOptionUnsupported, {
        where,
        scheme,
        option: unknown[0]!,
      });
  }
}

/** ntfy://, ntfys://, json://, jsons:// as the http(s) URL they stand for. */
export function httpUrl(url: string): URL {
  const secure = /^(ntfys|jsons):/.test(url);
  return new URL(url.replace(/^[a-z]+:/, secure ? 'https:' : 'http:'));
}

/** `ntfys://ntfy.sh/…` for built-in URLs; `discord://…` for apprise ones (their host may be a key). */
function labelOf(url: string, kind: DestinationKind): string {
  const scheme = url.slice(0, url.indexOf('://'));
  if (kind === 'apprise') return `${scheme}://…`;
  const parsed = httpUrl(url);
  return `${scheme}://${parsed.host}/…`;
}
