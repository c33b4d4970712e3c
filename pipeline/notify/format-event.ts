import { SEVERITIES, SEVERITY_WORDS } from '../vocabulary.ts';
import type { ContainerRef, EventOf, FindingItem, NotifyEvent } from './events.ts';
import { line, type Message } from './message.ts';

/** An absolute dashboard link for a site-relative page; none without DOCKPEEK_PUBLIC_URL. */
export function linkTo(
  publicUrl: string | undefined,
  page: string | undefined,
): string | undefined {
  if (!publicUrl) return undefined;
  return new URL(page ?? 'index.html', publicUrl).href;
}

/** One event as one message. */
export function formatEvent(event: NotifyEvent, publicUrl?: string): Message {
  const link = linkTo(publicUrl, event.page);
  const base = { kind: 'event' as const, events: [event], ...(link && { link }) };
  switch (event.kind) {
    case 'new_findings': {
      const critical = event.counts.critical > 0;
      return {
        ...base,
        title: `New findings in ${event.ref}`,
        intro: [line(`${countWords(event)} new`), affects(event.containers)],
        items: event.findings.map(findingLine),
        unlisted: event.total - event.findings.length,
        priority: critical ? 5 : 4,
        tags: [critical ? 'rotating_light' : 'warning', 'dockpeek'],
        type: critical ? 'failure' : 'warning',
      };
    }
    case 'fix_available':
      return {
        ...base,
        title: `Fix available in ${event.ref}`,
        intro: [
          line(
            `${plural(event.total, 'finding')} can be fixed now: updating the image removes ${event.total === 1 ? 'it' : 'them'}`,
          ),
          affects(event.containers),
        ],
        items: event.findings.map(findingLine),
        unlisted: event.total - event.findings.length,
        priority: 3,
        tags: ['wrench', 'dockpeek'],
        type: 'info',
      };
    case 'scan_failed':
      return {
        ...base,
        title: `Scan failed: ${event.ref}`,
        intro: [
          line(`${event.code}: ${event.message}`),
          affects(event.containers),
          'Its findings are unknown until a scan succeeds.',
        ],
        items: [],
        priority: 3,
        tags: ['x', 'dockpeek'],
        type: 'warning',
      };
    case 'scan_recovered':
      return {
        ...base,
        title: `Scan works again: ${event.ref}`,
        intro: [
          event.notable
            ? line(`${plural(event.notable, 'finding')} at or above the threshold`)
            : 'No findings at or above the threshold.',
          affects(event.containers),
        ],
        items: [],
        priority: 2,
        tags: ['white_check_mark', 'dockpeek'],
        type: 'success',
      };
    case 'anchor_update': {
      const hosts = new Set(event.anchors.map((a) => a.host)).size;
      return {
        ...base,
        title: `Update available: ${[...new Set(event.anchors.map((a) => a.name))].join(', ')}`,
        intro: [
          line(`${event.ref} has a newer image.`),
          ...event.anchors
            .slice(0, 3)
            .map((a) =>
              line(
                `Updating ${a.name} will affect ${plural(a.dependents.length, 'dependent')}${hosts > 1 ? ` on ${a.host}` : ''}${a.dependents.length ? ':' : '.'}`,
              ),
            ),
          ...(event.anchors.length > 3 ? [`and ${event.anchors.length - 3} more anchors`] : []),
        ],
        items: event.anchors.flatMap((a) =>
          a.dependents.map((name) => line(hosts > 1 ? `${name} (${a.host})` : name)),
        ),
        priority: 3,
        tags: ['arrow_up', 'dockpeek'],
        type: 'info',
      };
    }
    case 'host_down':
      return {
        ...base,
        title: `Host down: ${event.host}`,
        intro: [
          line(`${event.host} does not answer: ${event.error}`),
          'Its containers are left out until it answers again.',
        ],
        items: [],
        priority: 4,
        tags: ['red_circle', 'dockpeek'],
        type: 'failure',
      };
    case 'host_up':
      return {
        ...base,
        title: `Host back: ${event.host}`,
        intro: [`${event.host} answers again: ${plural(event.containers, 'container')}.`],
        items: [],
        priority: 2,
        tags: ['green_circle', 'dockpeek'],
        type: 'success',
      };
  }
}

/** "2 critical, 1 high" (whole counts, most severe first). */
function countWords(event: EventOf<'new_findings'>): string {
  return SEVERITIES.filter((s) => event.counts[s] > 0)
    .map((s) => `${event.counts[s]} ${SEVERITY_WORDS[s].label.toLowerCase()}`)
    .join(', ');
}

function findingLine(f: FindingItem): string {
  const fix = f.fixed ? ` → ${f.fixed}` : '';
  const title = f.title ? `: ${f.title}` : '';
  return line(`${f.id} ${f.severity} ${f.pkg}${fix}${title}`);
}

/** "Affects lab: web, worker; nas: web" in one short line. */
function affects(containers: ContainerRef[]): string {
  const hosts = new Map<string, string[]>();
  for (const c of containers) hosts.set(c.host, [...(hosts.get(c.host) ?? []), c.name]);
  return line(`Affects ${[...hosts].map(([h, names]) => `${h}: ${names.join(', ')}`).join('; ')}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
