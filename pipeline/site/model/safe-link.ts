const MAX_URL = 2048;

/**
 * A URL from scan data as a link target, or undefined when it must stay text. Only absolute
 * http: and https: URLs pass, after the WHATWG parser has done what a browser would (trimmed
 * surrounding spaces and controls, dropped tabs and newlines, lower-cased the scheme), so
 * "  JaVaScRiPt:", "java\tscript:", data:, vbscript: and relative URLs never become links.
 * URLs with credentials ("https://good.example@evil.example") are refused too: they deceive.
 */
export function safeLink(raw: string | undefined): string | undefined {
  if (!raw || raw.length > MAX_URL) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname || url.username || url.password) return undefined;
  return url.href;
}
