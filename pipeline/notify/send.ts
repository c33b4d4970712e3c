import { hostname } from 'node:os';
import { oneLine } from '../safe-text.ts';
import type { NotifyConfig } from './config.ts';
import type { Destination } from './destinations.ts';
import { linkTo } from './format-event.ts';
import type { SendResult } from './http-post.ts';
import type { Message } from './message.ts';
import { createRedactor } from './redact.ts';
import { sendApprise } from './send-apprise.ts';
import { sendJson, sendNtfy } from './send-http.ts';

/**
 * Send one message to one destination, within the configured deadline. Never throws; a failure's
 * message never holds the destination's credentials (text from outside is redacted).
 */
export async function sendMessage(
  d: Destination,
  message: Message,
  config: NotifyConfig,
  now = new Date(),
): Promise<SendResult> {
  const limits = {
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    redact: createRedactor([d]),
  };
  try {
    if (d.kind === 'ntfy') return await sendNtfy(d, message, limits);
    if (d.kind === 'json') return await sendJson(d, message, limits, now);
    return await sendApprise(d, message, {
      bin: config.appriseBin,
      timeoutMs: config.timeoutMs,
      env: config.env,
      redact: limits.redact,
    });
  } catch (error) {
    // Not expected (the senders return failures as data); still a failed send, not a crash.
    return {
      ok: false,
      durationMs: 0,
      failure: {
        code: 'connection_failed',
        message: limits.redact(oneLine(String((error as Error).message))),
      },
    };
  }
}

/** The message `notify --test` sends. */
export function testMessage(config: NotifyConfig): Message {
  const link = linkTo(config.publicUrl, 'index.html');
  return {
    kind: 'test',
    title: 'DockPeek Security: test notification',
    intro: [
      `A test from dockpeek-security on ${hostname()}.`,
      'If you read this, notifications reach you here.',
    ],
    items: [],
    ...(link && { link }),
    priority: 3,
    tags: ['white_check_mark', 'dockpeek'],
    type: 'info',
    events: [],
  };
}
