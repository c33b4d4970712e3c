import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveNotifyConfig, type NotifyConfig } from '../../pipeline/notify/config.ts';
import { formatEvent } from '../../pipeline/notify/format-event.ts';
import { assembleEvents } from '../../pipeline/notify/assemble-events.ts';
import { sendMessage, testMessage } from '../../pipeline/notify/send.ts';
import { WebhookBodySchema } from '../../pipeline/notify/webhook-body.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { finding, image } from '../helpers/notify-views.ts';

const TOKEN = 'tk_NtfyToken_1234';
const PASSWORD = 'json-Pa55word';

describe('built-in senders against a local receiver', () => {
  let receiver: HttpReceiver;
  let config: NotifyConfig;
  const host = () => receiver.url.replace('http://', '');
  const configure = (urls: string, extra: Record<string, string> = {}) =>
    resolveNotifyConfig({
      DOCKPEEK_NOTIFY_URLS: urls,
      DOCKPEEK_PUBLIC_URL: 'https://dash.example/dp',
      DOCKPEEK_NOTIFY_TIMEOUT: '2s',
      DOCKPEEK_NOTIFY_MAX_RESPONSE: '4KiB',
      ...extra,
    });
  const [event] = assembleEvents(
    [
      {
        kind: 'new_findings',
        image: image({ ref: 'nginx:1.25' }),
        findings: [finding('CVE-2024-1', 'critical', '1.2', 'libwebp')],
      },
    ],
    '2026-01-01T00:00:00.000Z',
  );
  const message = formatEvent(event!, 'https://dash.example/dp/');

  beforeAll(async () => {
    receiver = await startReceiver();
    config = await configure(
      `ntfy://${TOKEN}@${host()}/alerts,json://dockpeek:${PASSWORD}@${host()}/hook`,
    );
  });
  afterAll(() => receiver.close());

  it('ntfy: one POST to the topic with title, priority, tags, click link and bearer token', async () => {
    receiver.setMode('/alerts', 'ok');
    const result = await sendMessage(config.destinations[0]!, message, config);
    expect(result).toMatchObject({ ok: true, detail: 'HTTP 200' });
    const request = receiver.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/alerts' });
    expect(request.headers).toMatchObject({
      title: 'New findings in nginx:1.25',
      priority: '5',
      tags: 'rotating_light,dockpeek',
      click: expect.stringMatching(/^https:\/\/dash\.example\/dp\/images\/[0-9a-f]{16}\.html$/),
      authorization: `Bearer ${TOKEN}`,
    });
    expect(request.body.split('\n')).toEqual([
      '1 critical new',
      'Affects lab: web',
      '- CVE-2024-1 critical libwebp → 1.2: CVE-2024-1 in libwebp',
      request.headers.click,
    ]);
  });

  it('ntfy: a title with non-ASCII text is RFC 2047-encoded', async () => {
    const result = await sendMessage(
      config.destinations[0]!,
      { ...message, title: 'Neue Lücke in nginx' },
      config,
    );
    expect(result.ok).toBe(true);
    const title = receiver.requests.at(-1)!.headers.title as string;
    expect(title).toMatch(/^=\?UTF-8\?B\?.+\?=$/);
    expect(Buffer.from(title.slice(10, -2), 'base64').toString('utf8')).toBe('Neue Lücke in nginx');
  });

  it('json: the versioned body, valid against its schema, with basic auth', async () => {
    receiver.setMode('/hook', 'ok');
    const result = await sendMessage(config.destinations[1]!, message, config);
    expect(result.ok).toBe(true);
    const request = receiver.requests.at(-1)!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`dockpeek:${PASSWORD}`).toString('base64')}`,
    );
    const body = WebhookBodySchema.parse(JSON.parse(request.body));
    expect(body).toMatchObject({
      schema: 'dockpeek-security/notification',
      version: 1,
      kind: 'event',
      title: 'New findings in nginx:1.25',
      priority: 5,
      events: [{ kind: 'new_findings', ref: 'nginx:1.25', total: 1, id: event!.id }],
    });
    expect(body.message).toBe(
      [
        '1 critical new',
        'Affects lab: web',
        '- CVE-2024-1 critical libwebp → 1.2: CVE-2024-1 in libwebp',
        body.url,
      ].join('\n'),
    );
  });

  it('json: the test message has no events', async () => {
    const result = await sendMessage(config.destinations[1]!, testMessage(config), config);
    expect(result.ok).toBe(true);
    const body = WebhookBodySchema.parse(JSON.parse(receiver.requests.at(-1)!.body));
    expect(body.kind).toBe('test');
    expect(body.events).toEqual([]);
  });

  const failures: Array<[string, 'fail' | 'hold' | 'close', string, RegExp]> = [
    ['a 500', 'fail', 'http_error', /^HTTP 500: boom$/],
    ['a server that never answers', 'hold', 'timeout', /^no complete answer within 2000 ms$/],
    ['a connection closed mid-answer', 'close', 'connection_reset', /closed before the answer/],
  ];
  it.each(failures)('%s is a failure with a code, as data', async (_name, mode, code, text) => {
    receiver.setMode('/hook', mode);
    const before = receiver.requests.length;
    const result = await sendMessage(config.destinations[1]!, message, config);
    receiver.release();
    expect(receiver.requests.length).toBe(before + 1);
    expect(result).toMatchObject({ ok: false, failure: { code } });
    if (!result.ok) expect(result.failure.message).toMatch(text);
    receiver.setMode('/hook', 'ok');
  });

  it('keeps credentials out of a failure, even when the server echoes them', async () => {
    receiver.setMode('/alerts', 'echo');
    const result = await sendMessage(config.destinations[0]!, message, config);
    receiver.setMode('/alerts', 'ok');
    expect(result).toMatchObject({ ok: false, failure: { code: 'http_error' } });
    if (result.ok) return;
    expect(result.failure.message).toBe('HTTP 500: bad request to /alerts with Bearer ***');
    // Another destination's secrets (the apprise URL's host and path) leave this text alone.
    const mixed = await resolveNotifyConfig(
      {
        DOCKPEEK_NOTIFY_URLS: `json://${host()}/hook,apprise+json://${host()}/hook`,
        DOCKPEEK_NOTIFY_TIMEOUT: '2s',
      },
      { checkApprise: false },
    );
    receiver.setMode('/hook', 'fail');
    const failed = await sendMessage(mixed.destinations[0]!, message, mixed);
    receiver.setMode('/hook', 'ok');
    expect(failed).toMatchObject({ ok: false, failure: { message: 'HTTP 500: boom' } });
  });

  it('reads at most DOCKPEEK_NOTIFY_MAX_RESPONSE of an endless answer', async () => {
    receiver.setMode('/hook', 'endless');
    const result = await sendMessage(config.destinations[1]!, message, config);
    expect(result.ok).toBe(true);
    // The receiver writes into socket buffers as fast as it can: bounded, far from endless.
    await receiver.close();
    expect(receiver.requests.at(-1)!.bytesSent).toBeLessThan(16 << 20);
    receiver = await startReceiver();
    config = await configure(`json://${host()}/hook`);
  });

  it('a server that is not there: connection_failed', async () => {
    const port = await findClosedPort();
    const closed = await configure(`ntfy://127.0.0.1:${port}/alerts`);
    const result = await sendMessage(closed.destinations[0]!, message, closed);
    expect(result).toMatchObject({ ok: false, failure: { code: 'connection_failed' } });
  });
});
