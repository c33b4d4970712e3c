import type { NotifyConfig } from './config.ts';
import { formatEvent } from './format-event.ts';
import type { Failure, NotifyState } from './state-schema.ts';

const MAX_DROPPED_SHOWN = 20;

/** `notify --status`: configuration, baseline, pending and dropped events, as lines of text. */
export function statusLines(config: NotifyConfig, state: NotifyState | null): string[] {
  const label = (id: string) =>
    config.destinations.find((d) => d.id === id)?.label ?? `removed destination ${id}`;
  // Failures are stored redacted; one an older version stored may not be.
  const why = (f: Failure) => `[${f.code}] ${config.redact(f.message)}`;
  const lines = [
    config.destinations.length
      ? `destinations: ${config.destinations.map((d) => d.label).join(', ')}`
      : 'destinations: none (DOCKPEEK_NOTIFY_URLS is not set: notifications are off)',
    `threshold: ${config.threshold.severity} and worse${
      config.threshold.fixable ? `, or ${config.threshold.fixable} and worse with a fix` : ''
    }`,
    `digest: ${config.digest ? `daily at ${clock(config.digest)} (local time)${state?.lastDigestAt ? `, last ${state.lastDigestAt}` : ''}` : 'off (messages every run)'}`,
    `links: ${config.publicUrl ?? 'none (DOCKPEEK_PUBLIC_URL is not set)'}`,
  ];
  if (!state)
    return [
      ...lines,
      'baseline: none yet; the next refresh records one (nothing is sent on a first run)',
    ];
  lines.push(`baseline: recorded ${state.baselineAt}`, `last compared: ${state.observedAt}`);
  lines.push(`pending: ${state.pending.length} event(s)`);
  for (const p of state.pending) {
    lines.push(`  - ${formatEvent(p.event).title} [${p.event.kind}, seen ${p.event.detectedAt}]`);
    for (const [id, a] of Object.entries(p.remaining)) {
      const last = a.lastError ? `, last ${why(a.lastError)} at ${a.lastAt}` : '';
      lines.push(`      to ${label(id)}: ${a.attempts} failed attempt(s)${last}`);
    }
  }
  const dropped = state.dropped.slice(-MAX_DROPPED_SHOWN).reverse();
  lines.push(
    `dropped: ${state.dropped.length} record(s)${state.dropped.length > dropped.length ? `, newest ${dropped.length} shown` : ''}`,
  );
  for (const d of dropped)
    lines.push(
      `  - ${d.droppedAt}: ${d.title} [${d.kind}] to ${d.label} after ${d.attempts} attempt(s): ${why(d.reason)}`,
    );
  return lines;
}

/** "08:00". */
export function clock(digest: { hour: number; minute: number }): string {
  return `${String(digest.hour).padStart(2, '0')}:${String(digest.minute).padStart(2, '0')}`;
}
