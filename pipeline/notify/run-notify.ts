import type { Reporter } from '../reporter.ts';
import { createFindingsReader } from '../findings/reader.ts';
import type { Store } from '../store/db.ts';
import type { NotifyConfig } from './config.ts';
import { deliverPending, type DeliveryReport } from './deliver.ts';
import { digestSlot } from './digest.ts';
import type { SendResult } from './http-post.ts';
import type { Message } from './message.ts';
import { renderBody } from './message.ts';
import { advanceState } from './next-state.ts';
import { clock } from './status-text.ts';
import type { NotifyState } from './state-schema.ts';
import {
  moveStateAside,
  notifyStateFile,
  readNotifyState,
  writeNotifyState,
} from './state-file.ts';

/**
 * The notify stage: compare the store with the last notified state, keep the new events pending,
 * then deliver what is pending. Degraded (never thrown) when a destination failed; its events
 * stay pending for the next run. Call it holding the run lock.
 */
export async function runNotify(
  store: Store,
  config: NotifyConfig,
  out: Reporter,
  options: { now?: Date; verbose?: boolean } = {},
): Promise<{ degraded: boolean }> {
  if (config.destinations.length === 0) return { degraded: false };
  const now = options.now ?? new Date();
  const dataDir = store.dataDir;
  const read = await readNotifyState(dataDir);
  if (read.kind === 'corrupt') {
    const aside = await moveStateAside(dataDir);
    out.warn(`notify: ${notifyStateFile(dataDir)} was unreadable (${config.redact(read.reason)})`);
    out.warn(`  it was kept as ${aside}; a new baseline is recorded and nothing is sent this run`);
  }
  const previous = read.kind === 'ok' ? read.state : null;
  const reader = createFindingsReader(dataDir);
  const advance = await advanceState(previous, store.db.data, reader, config, now);
  const save = (s: NotifyState) => writeNotifyState(dataDir, s, config.redact);
  await save(advance.state);
  if (advance.kind === 'baseline') {
    const refs = new Set(advance.view.images.map((i) => i.ref)).size;
    out.info(
      `notify: baseline recorded (${refs} images on ${advance.view.hosts.length} host(s)); nothing is sent on a first run, changes from now on are`,
    );
    return { degraded: false };
  }
  if (advance.rebaselined)
    out.info('notify: the finding threshold changed: findings are re-baselined, not reported');
  const state = advance.state;
  const digest = config.digest
    ? digestSlot(config.digest, state.lastDigestAt ?? state.baselineAt, now)
    : null;
  const report = await deliverPending(state, config, {
    now,
    digest,
    save,
    ...(options.verbose && { onSend: describeSend(out, config.redact) }),
  });
  if (digest?.due) {
    state.lastDigestAt = digest.slot.toISOString();
    await save(state);
  }
  summarise(out, config, advance.events.length, report, state.pending.length);
  return { degraded: report.failed.length > 0 };
}

function summarise(
  out: Reporter,
  config: NotifyConfig,
  found: number,
  report: DeliveryReport,
  pending: number,
): void {
  const total = config.destinations.length;
  const ok = total - report.failed.length - report.held;
  const held = report.held
    ? `; held for the daily digest at ${clock(config.digest!)} for ${report.held} destination(s)`
    : '';
  out.info(
    `notify: ${found} new event(s); ${report.sent} message(s) sent, ${ok}/${total} destination(s) up to date${held}`,
  );
  for (const f of report.failed)
    out.warn(
      `notify: ${f.destination.label} failed [${f.failure.code}]: ${f.failure.message}; ` +
        `${f.pending} event(s) stay pending (attempt ${f.attempts} of ${config.maxAttempts})`,
    );
  if (report.dropped)
    out.warn(
      `notify: ${report.dropped} event(s) dropped after ${config.maxAttempts} attempts; \`dockpeek-security notify --status\` lists them`,
    );
  if (report.failed.length && pending)
    out.warn(`notify: ${pending} event(s) pending; the next run retries them`);
}

/**
 * --verbose: each message and its result. Labels hold no credentials and failures are redacted
 * when the senders make them; the message text is redacted too, should scan data ever hold one.
 */
function describeSend(out: Reporter, redact: (text: string) => string) {
  return (d: { label: string }, message: Message, result: SendResult) => {
    const outcome = result.ok
      ? `${out.ok('sent')} (${result.detail}, ${result.durationMs} ms)`
      : `${out.bad('failed')} [${result.failure.code}] ${result.failure.message}`;
    out.info(`notify: → ${d.label}: ${redact(message.title)} — ${outcome}`);
    const body = renderBody(message, { title: 100, body: 4096, unit: 'chars' });
    for (const text of body.split('\n')) out.info(`    ${redact(text)}`);
  };
}
