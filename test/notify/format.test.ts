import { describe, expect, it } from 'vitest';
import { assembleEvents, failureSummary } from '../../pipeline/notify/assemble-events.ts';
import { cleanLine } from '../../pipeline/safe-text.ts';
import type { NotifyEvent } from '../../pipeline/notify/events.ts';
import { formatBatch, MAX_MESSAGES_PER_RUN } from '../../pipeline/notify/format-batch.ts';
import { formatEvent } from '../../pipeline/notify/format-event.ts';
import {
  MAX_LINE,
  renderBody,
  renderTitle,
  type TextLimits,
} from '../../pipeline/notify/message.ts';
import { appriseLimits } from '../../pipeline/notify/send-apprise.ts';
import { NTFY_LIMITS } from '../../pipeline/notify/send-http.ts';
import { container, finding, image } from '../helpers/notify-views.ts';

const WIDE: TextLimits = { title: 100, body: 100_000, unit: 'chars' };
const HOSTILE_TITLES = [
  '<script>alert(1)</script>openssl: heap overflow',
  'bell\u0007 and escape \u001b[31mred\u001b[0m and NUL\u0000 and C1\u009b here',
  'invoice\u202Efdp.exe and zero\u200bwidth',
  `line one\nline two\r\nline three\ttabbed`,
  'x'.repeat(5000),
  '<img src=x onerror=alert(1)> <b>bold</b> a < b > c',
];

function findingsEvent(n: number, titles: string[] = []): NotifyEvent {
  const findings = Array.from({ length: n }, (_, i) => ({
    ...finding(`CVE-2024-${10_000 + i}`, i % 3 ? 'high' : 'critical', `1.${i}`, `pkg${i}`),
    ...(titles[i] !== undefined && { title: titles[i] }),
  }));
  const [event] = assembleEvents(
    [{ kind: 'new_findings', image: image({ ref: 'nginx:1.25' }), findings }],
    '2026-01-01T00:00:00.000Z',
  );
  return event!;
}

describe('messages: plain text, short lines, lock-screen sized', () => {
  it('lists at most 5 findings, then "+N more" and the link', () => {
    const message = formatEvent(findingsEvent(12), 'https://dash.example/dp/');
    const body = renderBody(message, WIDE).split('\n');
    expect(body[0]).toBe('4 critical, 8 high new');
    expect(body[1]).toBe('Affects lab: web');
    expect(body.filter((l) => l.startsWith('- '))).toHaveLength(5);
    expect(body.at(-2)).toBe('+7 more');
    expect(body.at(-1)).toMatch(/^https:\/\/dash\.example\/dp\/images\/[0-9a-f]{16}\.html$/);
    expect(message.title).toBe('New findings in nginx:1.25');
    expect(message.priority).toBe(5);
  });

  it('counts findings past the 20 listed in "+N more"', () => {
    const body = renderBody(formatEvent(findingsEvent(33)), WIDE);
    expect(body).toContain('+28 more');
    expect(body).not.toMatch(/https?:/);
  });

  it.each(HOSTILE_TITLES.map((t, i) => [i, t] as const))(
    'cleans hostile Trivy title #%i',
    (_, title) => {
      const body = renderBody(formatEvent(findingsEvent(1, [title])), WIDE);
      expect(body).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e]/);
      expect(body).not.toMatch(/[<>]/);
      for (const l of body.split('\n')) expect([...l].length).toBeLessThanOrEqual(MAX_LINE);
    },
  );

  it.each([
    [
      'run error: image scan error: scan error: unable to initialize a scan service: unable to initialize artifact: unable to initialize container image: unable to find the specified image "x:1" in ["docker" "remote"]: 2 errors occurred:\n* docker error: …',
      'unable to find the specified image "x:1" in ["docker" "remote"]: 2 errors occurred:',
    ],
    [
      'run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: context deadline exceeded',
      'context deadline exceeded',
    ],
    ['run error: ', 'run error:'],
  ])("says why a scan failed without Trivy's wrapping: %#", (message, summary) => {
    expect(failureSummary(message)).toBe(summary);
  });

  it('cleans text to one safe line', () => {
    expect(cleanLine('a\u0000b\nc <b>d</b> <e', 100)).toBe('a b c d e');
    expect(cleanLine('y'.repeat(300), 120)).toHaveLength(121);
  });

  it.each([
    ['ntfy (bytes)', NTFY_LIMITS],
    ['discord', appriseLimits('discord')],
    ['pushover', appriseLimits('pover')],
    ['a tiny service', { title: 20, body: 120, unit: 'chars' } as TextLimits],
  ])('fits %s: drops items into "+N more", keeps the link, then cuts', (_name, limits) => {
    const event = findingsEvent(20, Array(20).fill('ü'.repeat(200)));
    const message = formatEvent(event, 'https://dash.example/');
    const body = renderBody(message, limits);
    const size = limits.unit === 'bytes' ? Buffer.byteLength(body) : [...body].length;
    expect(size).toBeLessThanOrEqual(limits.body);
    const title = renderTitle(message, limits);
    expect([...title].length).toBeLessThanOrEqual(limits.title);
    if (limits.body >= 400) expect(body.split('\n').at(-1)).toMatch(/^https:\/\/dash\.example\//);
  });

  it('says how many dependents an anchor update affects', () => {
    const gluetun = container('lab', 'gluetun', 'qmcgaw/gluetun:v3', {
      role: 'anchor',
      dependents: ['qbittorrent', 'prowlarr', 'sonarr', 'radarr'],
    });
    const [event] = assembleEvents(
      [{ kind: 'anchor_update', image: image({ ref: gluetun.image, containers: [gluetun] }) }],
      '2026-01-01T00:00:00.000Z',
    );
    const message = formatEvent(event!, 'https://dash.example/');
    expect(message.title).toBe('Update available: gluetun');
    expect(renderBody(message, WIDE)).toBe(
      [
        'qmcgaw/gluetun:v3 has a newer image.',
        'Updating gluetun will affect 4 dependents:',
        '- qbittorrent',
        '- prowlarr',
        '- sonarr',
        '- radarr',
        'https://dash.example/index.html#c-lab-gluetun',
      ].join('\n'),
    );
  });

  it(`sends at most ${MAX_MESSAGES_PER_RUN} messages per run; the rest share a summary`, () => {
    const events = Array.from({ length: 9 }, (_, i) => findingsEvent(1 + i)).map((e, i) => ({
      ...e,
      ref: `app${i}:1`,
    }));
    const messages = formatBatch(events as NotifyEvent[], { publicUrl: 'https://d.example/' });
    expect(messages).toHaveLength(MAX_MESSAGES_PER_RUN);
    const summary = messages.at(-1)!;
    expect(summary.kind).toBe('summary');
    expect(summary.title).toBe('DockPeek: 5 more changes');
    expect(summary.events).toHaveLength(5);
    expect(messages.flatMap((m) => m.events)).toHaveLength(9);
    expect(renderBody(summary, WIDE).split('\n').at(-1)).toBe('https://d.example/index.html');
  });

  it('puts everything in one digest message when a digest is configured', () => {
    const events = Array.from({ length: 7 }, () => findingsEvent(2));
    const [digest, ...rest] = formatBatch(events, { digest: true });
    expect(rest).toEqual([]);
    expect(digest!.title).toBe('DockPeek daily digest: 7 changes');
    expect(renderBody(digest!, WIDE)).toContain('+2 more');
  });
});
