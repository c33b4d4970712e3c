import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createError, describeError } from '../errors.ts';
import { NOTIFY_ERRORS } from '../errors/notify-errors.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { Redactor } from './redact.ts';
import { NotifyStateSchema, type Failure, type NotifyState } from './state-schema.ts';

/** The last-notified state lives beside db.json, in a file of its own that retention never prunes. */
export function notifyStateFile(dataDir: string): string {
  return path.join(dataDir, 'notify-state.json');
}

/** What reading the state file found. */
export type StateRead =
  | { kind: 'absent' }
  | { kind: 'ok'; state: NotifyState }
  /** Unreadable or invalid: the caller decides whether to move it aside (only under the lock). */
  | { kind: 'corrupt'; reason: string };

/** Read and validate the state file (read-only). */
export async function readNotifyState(dataDir: string): Promise<StateRead> {
  let text: string;
  try {
    text = await readFile(notifyStateFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'corrupt', reason: describeError(error) };
  }
  try {
    const parsed = NotifyStateSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'ok', state: parsed.data };
    return { kind: 'corrupt', reason: z.prettifyError(parsed.error).replace(/\n/g, ' ') };
  } catch (error) {
    return { kind: 'corrupt', reason: `not valid JSON (${describeError(error)})` };
  }
}

/** Move a damaged state file aside (never overwrite it); returns where it went. */
export async function moveStateAside(dataDir: string): Promise<string> {
  const file = notifyStateFile(dataDir);
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  return aside;
}

/**
 * Write the state atomically: a crash leaves the old file or the new one. Every failure text in
 * it goes through the redactor on the way, also those an older version stored unredacted.
 */
export async function writeNotifyState(
  dataDir: string,
  state: NotifyState,
  redact: Redactor,
): Promise<void> {
  const file = notifyStateFile(dataDir);
  try {
    const clean = redactFailures(NotifyStateSchema.parse(state), redact);
    await writeFileAtomic(file, `${JSON.stringify(clean)}\n`);
  } catch (error) {
    throw createError(
      NOTIFY_ERRORS.notifyStateUnwritable,
      { file, reason: describeError(error) },
      { cause: error },
    );
  }
}

/** The state with every stored failure message redacted (parsed already: a copy). */
function redactFailures(state: NotifyState, redact: Redactor): NotifyState {
  const clean = (f: Failure): Failure => ({ ...f, message: redact(f.message) });
  for (const p of state.pending)
    for (const attempt of Object.values(p.remaining))
      if (attempt.lastError) attempt.lastError = clean(attempt.lastError);
  for (const d of state.dropped) d.reason = clean(d.reason);
  return state;
}
