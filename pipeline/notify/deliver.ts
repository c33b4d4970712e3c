import type { NotifyConfig } from './config.ts';
import type { Destination } from './destinations.ts';
import { formatBatch } from './format-batch.ts';
import { formatEvent } from './format-event.ts';
import type { SendFailure, SendResult } from './http-post.ts';
import type { Message } from './message.ts';
import { sendMessage } from './send.ts';
import { MAX_DROPPED, type Failure, type NotifyState, type Pending } from './state-schema.ts';

/** What delivering the pending events did, per destination. */
export interface DeliveryReport {
  /** Messages delivered. */
  sent: number;
  /** Destinations that failed this run: the first failure stops sending to them until next run. */
  failed: Array<{
    destination: Destination;
    failure: SendFailure;
    pending: number;
    attempts: number;
  }>;
  /** Events given up for a destination this run (after DOCKPEEK_NOTIFY_MAX_ATTEMPTS). */
  dropped: number;
  /** Destinations with events held for the digest. */
  held: number;
}

/** How deliverPending runs: its clock, the digest, persistence and a --verbose hook. */
export interface DeliverOptions {
  now: Date;
  /** A digest is configured and its time has come (or not). */
  digest: { due: boolean } | null;
  /** Persist the state; called after every message, so a crash loses or repeats at most one. */
  save: (state: NotifyState) => Promise<void>;
  onSend?: (d: Destination, message: Message, result: SendResult) => void;
}

/**
 * Send each destination the events pending for it, most urgent first. A delivered message takes
 * its events off that destination's list at once; a failure counts one attempt for every event
 * pending there, and past the cap an event is dropped with a record.
 */
export async function deliverPending(
  state: NotifyState,
  config: NotifyConfig,
  options: DeliverOptions,
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: [], dropped: 0, held: 0 };
  for (const d of config.destinations) {
    const mine = () => state.pending.filter((p) => p.remaining[d.id]);
    if (mine().length === 0) continue;
    const retry = mine().some((p) => p.remaining[d.id]!.attempts > 0);
    if (options.digest && !options.digest.due && !retry) {
      report.held += 1;
      continue;
    }
    const messages = formatBatch(
      mine().map((p) => p.event),
      { publicUrl: config.publicUrl, digest: Boolean(options.digest) },
    );
    for (const message of messages) {
      const result = await sendMessage(d, message, config, options.now);
      options.onSend?.(d, message, result);
      if (result.ok) {
        const ids = new Set(message.events.map((e) => e.id));
        for (const p of mine()) if (ids.has(p.event.id)) delete p.remaining[d.id];
        state.pending = state.pending.filter((p) => Object.keys(p.remaining).length > 0);
        report.sent += 1;
        await options.save(state);
        continue;
      }
      const failure = result.failure;
      const left = mine();
      const attempts = Math.max(...left.map((p) => p.remaining[d.id]!.attempts + 1));
      report.dropped += recordFailure(state, left, d, failure, config.maxAttempts, options.now);
      report.failed.push({ destination: d, failure, pending: left.length, attempts });
      await options.save(state);
      break;
    }
  }
  return report;
}

/** One more attempt for each event pending at `d`; past the cap, a dropped record instead. */
function recordFailure(
  state: NotifyState,
  pending: Pending[],
  d: Destination,
  failure: Failure,
  maxAttempts: number,
  now: Date,
): number {
  let dropped = 0;
  for (const p of pending) {
    const attempt = p.remaining[d.id]!;
    attempt.attempts += 1;
    attempt.lastAt = now.toISOString();
    attempt.lastError = failure;
    if (attempt.attempts < maxAttempts) continue;
    delete p.remaining[d.id];
    dropEvent(state, p, d.id, d.label, attempt.attempts, failure, now);
    dropped += 1;
  }
  state.pending = state.pending.filter((p) => Object.keys(p.remaining).length > 0);
  return dropped;
}

/** Record that an event will not be delivered to a destination; the newest MAX_DROPPED are kept. */
export function dropEvent(
  state: NotifyState,
  p: Pending,
  destination: string,
  label: string,
  attempts: number,
  reason: Failure,
  now: Date,
): void {
  state.dropped.push({
    eventId: p.event.id,
    kind: p.event.kind,
    title: formatEvent(p.event).title,
    detectedAt: p.event.detectedAt,
    droppedAt: now.toISOString(),
    destination,
    label,
    attempts,
    reason,
  });
  state.dropped = state.dropped.slice(-MAX_DROPPED);
}
