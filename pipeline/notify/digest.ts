import type { NotifyConfig } from './config.ts';

/**
 * The digest slot a run at `now` belongs to: today's HH:MM (local time) once it has passed, else
 * yesterday's. A digest is due when no digest was sent for that slot yet (`last` is the slot last
 * sent, or the baseline time before any).
 */
export function digestSlot(
  digest: NonNullable<NotifyConfig['digest']>,
  last: string,
  now: Date,
): { slot: Date; due: boolean } {
  const slot = new Date(now);
  slot.setHours(digest.hour, digest.minute, 0, 0);
  if (slot.getTime() > now.getTime()) slot.setDate(slot.getDate() - 1);
  return { slot, due: Date.parse(last) < slot.getTime() };
}
