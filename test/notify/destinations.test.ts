import { describe, expect, it } from 'vitest';
import { parseDestinations } from '../../pipeline/notify/destinations.ts';
import { createRedactor } from '../../pipeline/notify/redact.ts';
import { DockpeekError } from '../../pipeline/errors.ts';

// Secrets that must never be shown: each appears in some URL below.
const SECRETS = ['tk_Secret42', 'hunter2-pw', 'Tg-BotKey-77abc', 'WebHookTok-9f8e', 'q-Token-55'];
const URLS = [
  'ntfys://tk_Secret42@ntfy.example.com/homelab-alerts',
  'ntfy://127.0.0.1:8080/alerts?token=q-Token-55',
  'json://dockpeek:hunter2-pw@hooks.lan:9000/in',
  'tgram://123456789:Tg-BotKey-77abc/987654',
  'discord://112233445566/WebHookTok-9f8e',
  'mailtos://me:hunter2-pw@mail.example.com?to=a@example.com,b@example.com',
  'apprise+json://127.0.0.1:9000/through-apprise',
];

describe('DOCKPEEK_NOTIFY_URLS', () => {
  const destinations = parseDestinations(URLS.join(', '));

  it('splits on commas before a scheme only, and tells built-in from apprise', () => {
    expect(destinations.map((d) => [d.kind, d.scheme, d.label])).toEqual([
      ['ntfy', 'ntfys', 'ntfys://ntfy.example.com/… (#1)'],
      ['ntfy', 'ntfy', 'ntfy://127.0.0.1:8080/… (#2)'],
      ['json', 'json', 'json://hooks.lan:9000/… (#3)'],
      ['apprise', 'tgram', 'tgram://… (#4)'],
      ['apprise', 'discord', 'discord://… (#5)'],
      ['apprise', 'mailtos', 'mailtos://… (#6)'],
      ['apprise', 'json', 'apprise+json://… (#7)'],
    ]);
    // The mailto recipients' comma stayed inside its URL.
    expect(destinations[5]!.url).toBe(URLS[5]);
    expect(destinations[6]!.url).toBe('json://127.0.0.1:9000/through-apprise');
    expect(new Set(destinations.map((d) => d.id)).size).toBe(URLS.length);
  });

  it('is off when unset or blank', () => {
    expect(parseDestinations(undefined)).toEqual([]);
    expect(parseDestinations('  ')).toEqual([]);
  });

  it('never shows a secret in a label', () => {
    for (const d of destinations) for (const s of SECRETS) expect(d.label).not.toContain(s);
  });

  it('removes every secret from a text, however it was written', () => {
    const redact = createRedactor(destinations);
    const text = [
      ...URLS,
      'POST https://ntfy.example.com/homelab-alerts failed: Unparseable URL discord://112233445566/WebHookTok-9f8e',
      'token q-Token-55, password hunter2%2Dpw, bot Tg-BotKey-77abc',
    ].join('\n');
    const clean = redact(text);
    for (const s of SECRETS) expect(clean).not.toContain(s);
    expect(clean).toContain('***');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no scheme', 'ntfy.sh/topic', /item 1 is not a URL of the form scheme:\/\//],
    ['a space inside', 'ntfys://ntfy.sh/my topic', /item 1 is not a URL/],
    ['an empty item', 'ntfys://ntfy.sh/a,,json://h/x', /item 2 is empty/],
    ['a comma at the end', 'ntfys://ntfy.sh/a,', /item 2 is empty/],
    ['no topic', 'ntfys://tk_Secret42@ntfy.sh/', /item 1 \(ntfys:\/\/\) has no topic/],
    ['no host', 'json://:8080/in', /item 1 \(json:\/\/\) is not a valid URL/],
    [
      'an ntfy option the built-in sender ignores',
      'ntfy://ntfy.sh/t?priority=5',
      /unsupported option "priority"/,
    ],
    ['a bad scheme', 'ntfy://ntfy.sh/a, ap_p://hunter2-pw@x', /item 1 is not a URL/],
    ['an odd apprise scheme', 'ntfy://ntfy.sh/a, apprise+://x', /item 2 has an invalid scheme/],
  ];
  it.each(bad)('refuses %s, naming the item and never its text', (_name, value, message) => {
    let error: unknown;
    try {
      parseDestinations(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockpeekError);
    const { message: text, hint, code } = error as DockpeekError;
    expect(code).toBe('config_invalid');
    expect(text).toMatch(message);
    expect(text).toMatch(/^DOCKPEEK_NOTIFY_URLS item \d/);
    for (const s of SECRETS) expect(`${text} ${hint ?? ''}`).not.toContain(s);
  });
});
