import { httpUrl, type Destination } from './destinations.ts';

const MASK = '***';

/** The parts of a destination URL that must never be shown: the URL, passwords, tokens, keys. */
export function secretsOf(d: Destination): string[] {
  const found = new Set<string>([d.url, d.url.slice(d.url.indexOf('://') + 3)]);
  const add = (text: string, min: number) => {
    if (text.length < min) return;
    found.add(text);
    try {
      found.add(decodeURIComponent(text));
    } catch {
      // not percent-encoded
    }
  };
  if (d.kind === 'apprise') {
    // Where an apprise service keeps its keys differs per service: mask every long part.
    const rest = d.url.slice(d.url.indexOf('://') + 3);
    for (const part of rest.split(/[/:@?&=#,;+]/)) add(part, 6);
    const userinfo = /^([^/@]*)@/.exec(rest)?.[1];
    if (userinfo) for (const part of userinfo.split(':')) add(part, 3);
    return [...found];
  }
  const parsed = httpUrl(d.url);
  add(parsed.password, 1);
  add(parsed.username, parsed.password ? 3 : 1);
  add(parsed.searchParams.get('token') ?? '', 1);
  found.add(parsed.href);
  return [...found];
}

/** Remove every secret of the destinations from a text (longest first, so none is left in part). */
export function createRedactor(destinations: Destination[]): (text: string) => string {
  const secrets = [...new Set(destinations.flatMap(secretsOf))]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(MASK), text);
}
