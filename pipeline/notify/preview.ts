import { createFindingsReader } from '../findings/reader.ts';
import type { Db } from '../store/schema.ts';
import type { NotifyConfig } from './config.ts';
import { digestSlot } from './digest.ts';
import { formatBatch } from './format-batch.ts';
import { renderBody, renderTitle, type TextLimits } from './message.ts';
import { advanceState } from './next-state.ts';
import { readNotifyState } from './state-file.ts';
import { clock } from './status-text.ts';

const SHOWN: TextLimits = { title: 100, body: 4096, unit: 'chars' };

/**
 * `notify --dry-run`: what the notify stage would send from the store as it is now, as text.
 * Reads only; the state file is not written.
 */
export async function previewLines(
  db: Db,
  dataDir: string,
  config: NotifyConfig,
  now: Date,
): Promise<string[]> {
  const read = await readNotifyState(dataDir);
  if (read.kind === 'corrupt')
    return [
      `the notify state is unreadable (${config.redact(read.reason)}): the next run records a new baseline`,
    ];
  const previous = read.kind === 'ok' ? read.state : null;
  const advance = await advanceState(previous, db, createFindingsReader(dataDir), config, now);
  if (advance.kind === 'baseline')
    return ['no baseline yet: the next run records one and sends nothing'];
  const { state, events } = advance;
  const lines = [
    `${events.length} new event(s) since ${previous!.observedAt}; ${state.pending.length - events.length} pending from earlier runs`,
  ];
  if (advance.rebaselined) lines.push('the threshold changed: findings would be re-baselined');
  const messages = formatBatch(
    state.pending.map((p) => p.event),
    { publicUrl: config.publicUrl, digest: Boolean(config.digest) },
  );
  if (config.digest) {
    const { due } = digestSlot(config.digest, state.lastDigestAt ?? state.baselineAt, now);
    lines.push(
      due
        ? `the daily digest (${clock(config.digest)}) is due: it would be sent now`
        : `held for the daily digest at ${clock(config.digest)}`,
    );
  }
  lines.push(
    messages.length
      ? `${messages.length} message(s) to each destination with these events pending:`
      : 'nothing to send',
  );
  for (const m of messages) {
    lines.push('', `── ${renderTitle(m, SHOWN)}  (priority ${m.priority}; ${m.tags.join(', ')})`);
    lines.push(...renderBody(m, SHOWN).split('\n'));
  }
  return lines;
}
