import { z } from 'zod';
import { readVersion } from '../version.ts';
import { NotifyEventSchema } from './events.ts';
import { MESSAGE_KINDS, type Message } from './message.ts';

/** Bumped when a field is removed or changes meaning; new optional fields keep the version. */
export const WEBHOOK_SCHEMA_VERSION = 1;

/** The body of every json:// and jsons:// POST (docs/notifications.md shows it as JSON Schema). */
export const WebhookBodySchema = z
  .object({
    schema: z
      .literal('dockpeek-security/notification')
      .describe('what this body is, so a receiver can tell it from other webhooks'),
    version: z
      .literal(WEBHOOK_SCHEMA_VERSION)
      .describe('the schema version: a receiver should refuse versions it does not know'),
    kind: z
      .enum(MESSAGE_KINDS)
      .describe(
        'event: one change; summary: several changes of one run; digest: the daily digest; test: notify --test',
      ),
    sentAt: z.string().describe('when this was sent (ISO 8601)'),
    source: z
      .object({
        tool: z.literal('dockpeek-security'),
        version: z.string().describe('the dockpeek-security version that sent it'),
      })
      .describe('who sent it'),
    title: z.string().describe('the title other services show, plain text'),
    message: z
      .string()
      .describe('the body other services show: plain text in short lines, the link last'),
    priority: z.number().int().min(1).max(5).describe('1 (min) to 5 (urgent), as ntfy counts'),
    url: z.string().optional().describe('the dashboard page, when DOCKPEEK_PUBLIC_URL is set'),
    events: z
      .array(NotifyEventSchema)
      .describe('every change this message delivers (empty for a test); dedupe on events[].id'),
  })
  .describe('A dockpeek-security notification');
export type WebhookBody = z.infer<typeof WebhookBodySchema>;

/** The JSON body for a message whose title and text were fitted already. */
export function buildWebhookBody(
  message: Message,
  title: string,
  text: string,
  now: Date,
): WebhookBody {
  return WebhookBodySchema.parse({
    schema: 'dockpeek-security/notification',
    version: WEBHOOK_SCHEMA_VERSION,
    kind: message.kind,
    sentAt: now.toISOString(),
    source: { tool: 'dockpeek-security', version: readVersion() },
    title,
    message: text,
    priority: message.priority,
    ...(message.link && { url: message.link }),
    events: message.events,
  });
}
