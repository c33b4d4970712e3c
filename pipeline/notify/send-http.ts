import { readVersion } from '../version.ts';
import { httpUrl, type Destination } from './destinations.ts';
import { postBounded, type PostLimits, type SendResult } from './http-post.ts';
import { renderBody, renderTitle, type Message, type TextLimits } from './message.ts';
import { buildWebhookBody } from './webhook-body.ts';

/** ntfy keeps messages up to 4,096 bytes as text (longer ones become attachments). */
export const NTFY_LIMITS: TextLimits = { title: 100, body: 4096, unit: 'bytes' };
/** The JSON webhook's text fields; the events carry the detail. */
export const JSON_LIMITS: TextLimits = { title: 200, body: 16_384, unit: 'chars' };

/** The URL to post to (no credentials: fetch refuses them) and the Authorization they give. */
function target(d: Destination): { url: URL; auth?: string } {
  const url = httpUrl(d.url);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const token = url.searchParams.get('token') ?? (d.kind === 'ntfy' && !password ? user : '');
  url.username = '';
  url.password = '';
  url.searchParams.delete('token');
  if (token) return { url, auth: `Bearer ${token}` };
  if (user || password)
    return { url, auth: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  return { url };
}

/** A header value as ntfy reads it: ASCII as is, anything else RFC 2047-encoded. */
function headerText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text)
    ? text
    : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** ntfy: one POST of the body to <server>/<topic>, with title, priority, tags and click link. */
export function sendNtfy(
  d: Destination,
  message: Message,
  limits: PostLimits,
): Promise<SendResult> {
  const { url, auth } = target(d);
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'User-Agent': `dockpeek-security/${readVersion()}`,
    Title: headerText(renderTitle(message, NTFY_LIMITS)),
    Priority: String(message.priority),
    Tags: message.tags.join(','),
    ...(message.link && { Click: message.link }),
    ...(auth && { Authorization: auth }),
  };
  return postBounded(url, headers, renderBody(message, NTFY_LIMITS), limits);
}

/** JSON webhook: one POST of the versioned body (webhook-body.ts). */
export function sendJson(
  d: Destination,
  message: Message,
  limits: PostLimits,
  now: Date,
): Promise<SendResult> {
  const { url, auth } = target(d);
  const title = renderTitle(message, JSON_LIMITS);
  const body = buildWebhookBody(message, title, renderBody(message, JSON_LIMITS), now);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': `dockpeek-security/${readVersion()}`,
    ...(auth && { Authorization: auth }),
  };
  return postBounded(url, headers, JSON.stringify(body), limits);
}
