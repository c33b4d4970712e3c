import { maskCredentialForms } from './credential-forms.ts';
import { httpUrl, type Destination } from './destinations.ts';

const MASK = '***';

declare const redacted: unique symbol;
/** Text a redactor returned: what a failure carries to the output and to notify-state.json. */
export type Redacted = string & { readonly [redacted]: true };
/** Removes credentials from text that came from outside (answers, errors, stored failures). */
export type Redactor = (text: string) => Redacted;

/**
 * The secrets of a destination URL in every spelling they may take in another program's text:
 * the URL, passwords, tokens, keys, and the Basic credentials the senders put in Authorization.
 */
export function secretsOf(d: Destination): string[] {
  const found = new Set<string>();
  const add = (text: string, min = 1) => {
    for (const form of spellings(text)) if (form.length >= min) found.add(form);
  };
  const rest = d.url.slice(d.url.indexOf('://') + 3);
  add(d.url);
  add(rest);
  if (d.kind === 'apprise') {
    // Where an apprise service keeps its keys differs per service: mask every long part.
    for (const part of rest.split(/[/:@?&=#,;+]/)) add(part, 6);
    const userinfo = /^([^/@]*)@/.exec(rest)?.[1];
    if (userinfo) for (const part of userinfo.split(':')) add(part, 3);
    // apprise+json://user:pass@… and the like send Basic auth too.
    const [user = '', ...password] = (userinfo ?? '').split(':');
    for (const form of basicForms(decoded(user), decoded(password.join(':')))) found.add(form);
    return [...found];
  }
  const parsed = httpUrl(d.url);
  add(parsed.password);
  add(parsed.username, parsed.password ? 3 : 1);
  // As sent (searchParams reads + as a space) and as written in the URL.
  add(parsed.searchParams.get('token') ?? '');
  for (const [, token] of rest.matchAll(/[?&]token=([^&#]*)/g)) add(token!);
  add(parsed.href);
  for (const form of basicForms(decoded(parsed.username), decoded(parsed.password)))
    found.add(form);
  return [...found];
}

/**
 * One redactor for every text from outside: the destinations' own secrets wherever they appear
 * (longest first, so none is left in part), then every credential in a recognisable form
 * (credential-forms.ts). Linear in the text; applying it twice changes nothing more.
 */
export function createRedactor(destinations: Destination[]): Redactor {
  const secrets = [...new Set(destinations.flatMap(secretsOf))]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  return (text) =>
    maskCredentialForms(
      secrets.reduce((out, secret) => out.split(secret).join(MASK), text),
      MASK,
    ) as Redacted;
}

/** A secret as written, URL-decoded and -encoded, escaped in a JSON string, whitespace collapsed. */
function spellings(text: string): string[] {
  const forms = new Set<string>();
  for (const form of [text, decoded(text)]) {
    forms.add(form);
    forms.add(JSON.stringify(form).slice(1, -1));
    forms.add(form.replace(/\s+/g, ' '));
    try {
      forms.add(encodeURIComponent(form));
    } catch {
      // a lone surrogate has no URL encoding
    }
  }
  return [...forms];
}

/** The Authorization: Basic value of a user and password, in base64 and the variants of it. */
function basicForms(user: string, password: string): string[] {
  if (!user && !password) return [];
  const raw = Buffer.from(`${user}:${password}`);
  const base64 = raw.toString('base64');
  return [base64, base64.replace(/=+$/, ''), raw.toString('base64url'), encodeURIComponent(base64)];
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
