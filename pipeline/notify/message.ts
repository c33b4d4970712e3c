import type { NotifyEvent } from './events.ts';

/** A notification before it is fitted to a service: plain text in short lines. */
export interface Message {
  /** One event, several (a run with many), the daily digest, or `notify --test`. */
  kind: MessageKind;
  /** One line, shown first on a lock screen. */
  title: string;
  /** Lines before the list. */
  intro: string[];
  /** List items (findings, anchors, changes); at most MAX_ITEMS are shown, then "+N more". */
  items: string[];
  /** Items there are beyond `items` (not listed at all), counted in "+N more". */
  unlisted?: number;
  /** Absolute dashboard link, when DOCKPEEK_PUBLIC_URL is set. */
  link?: string;
  /** 1 (min) to 5 (urgent), as ntfy counts. */
  priority: 1 | 2 | 3 | 4 | 5;
  /** ntfy tags (emoji short codes). */
  tags: string[];
  /** Apprise's notification type. */
  type: 'info' | 'success' | 'warning' | 'failure';
  /** The events this message delivers. */
  events: NotifyEvent[];
}

/** What a message is, as the JSON webhook body says. */
export const MESSAGE_KINDS = ['event', 'summary', 'digest', 'test'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Items shown in one message; the rest are "+N more" and the link. */
export const MAX_ITEMS = 5;
/** Longest line of a message body (the link excepted): readable on a phone lock screen. */
export const MAX_LINE = 72;
/** Longest title. */
export const MAX_TITLE = 100;

/** How much text a service takes: title and body, in characters or UTF-8 bytes. */
export interface TextLimits {
  title: number;
  body: number;
  unit: 'chars' | 'bytes';
}

/**
 * The body as text, fitted to `limits`: items are dropped from the end (counted in "+N more")
 * until it fits; the link stays last. What still does not fit is cut.
 */
export function renderBody(message: Message, limits: TextLimits): string {
  const size = (text: string) =>
    limits.unit === 'bytes' ? Buffer.byteLength(text) : [...text].length;
  for (let shown = Math.min(message.items.length, MAX_ITEMS); ; shown -= 1) {
    const more = message.items.length - shown + (message.unlisted ?? 0);
    const text = [
      ...message.intro.map(line),
      ...message.items.slice(0, shown).map((item) => line(`- ${item}`)),
      ...(more > 0 ? [`+${more} more`] : []),
      ...(message.link ? [message.link] : []),
    ].join('\n');
    if (size(text) <= limits.body || shown === 0) return cut(text, limits.body, size);
  }
}

/** The title fitted to `limits`. */
export function renderTitle(message: Message, limits: TextLimits): string {
  return cut(message.title, Math.min(limits.title, MAX_TITLE), (t) =>
    limits.unit === 'bytes' ? Buffer.byteLength(t) : [...t].length,
  );
}

/** Cut text to `max` (in the unit `size` measures), ending with an ellipsis when cut. */
function cut(text: string, max: number, size: (t: string) => number): string {
  if (size(text) <= max) return text;
  const chars = [...text];
  let end = Math.min(chars.length, max);
  while (end > 0 && size(`${chars.slice(0, end).join('')}…`) > max) end -= 1;
  return `${chars.slice(0, end).join('')}…`;
}

/** A line no longer than MAX_LINE characters. */
export function line(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_LINE ? text : `${chars.slice(0, MAX_LINE - 1).join('')}…`;
}
