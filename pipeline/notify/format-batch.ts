import type { NotifyEvent } from './events.ts';
import { formatEvent, linkTo } from './format-event.ts';
import { line, type Message } from './message.ts';

/** Messages one destination gets in one run: a phone buzzes at most this often per refresh. */
export const MAX_MESSAGES_PER_RUN = 5;

const TYPE_RANK: Message['type'][] = ['failure', 'warning', 'info', 'success'];

/**
 * The messages for a set of events, most urgent first: one per event, except that past
 * MAX_MESSAGES_PER_RUN the rest share one summary message; a digest is one message for all.
 */
export function formatBatch(
  events: NotifyEvent[],
  options: { publicUrl?: string | undefined; digest?: boolean },
): Message[] {
  const messages = events
    .map((e) => formatEvent(e, options.publicUrl))
    .sort((a, b) => b.priority - a.priority);
  if (messages.length === 0) return [];
  if (options.digest) return [summarise(messages, 'digest', options.publicUrl)];
  if (messages.length <= MAX_MESSAGES_PER_RUN) return messages;
  const alone = messages.slice(0, MAX_MESSAGES_PER_RUN - 1);
  return [...alone, summarise(messages.slice(alone.length), 'rest', options.publicUrl)];
}

/** One message listing several: their titles as items, the dashboard's home as the link. */
function summarise(
  messages: Message[],
  kind: 'digest' | 'rest',
  publicUrl: string | undefined,
): Message {
  const n = messages.length;
  const link = linkTo(publicUrl, 'index.html');
  const top = messages[0]!;
  return {
    kind: kind === 'digest' ? 'digest' : 'summary',
    title:
      kind === 'digest'
        ? `DockPeek daily digest: ${n} change${n === 1 ? '' : 's'}`
        : `DockPeek: ${n} more changes`,
    intro: [],
    items: messages.map((m) => line(m.title)),
    ...(link && { link }),
    priority: top.priority,
    tags: [...new Set([top.tags[0] ?? 'dockpeek', 'dockpeek'])],
    type: TYPE_RANK.find((t) => messages.some((m) => m.type === t)) ?? 'info',
    events: messages.flatMap((m) => m.events),
  };
}
