import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatDuration } from '../../config/duration.ts';
import { describeError } from '../../errors.ts';
import { readDbFile } from '../../store/read-db.ts';
import { LOCK_NAME, isHolderAlive, readLock, type LockInfo } from '../../store/run-lock.ts';

// What `status` judges: the age of the last snapshot a refresh took, and the run lock. Read-only:
// nothing is created, locked or recovered, so a health check never changes the data dir.

/** A lock file whose content is not readable yet is left to its writer this long. */
const LOCK_WRITE_GRACE_MS = 5000;

/** What the data dir says, read once. */
export interface HealthInputs {
  /** When the newest snapshot was taken; null before the first; an Error when db.json is unreadable. */
  snapshotAt: Date | null | Error;
  /** The run lock, when there is one: its holder (null: not readable), age and liveness. */
  lock: { holder: LockInfo | null; ageMs: number; alive: boolean } | null;
}

/** The verdict: healthy, or one reason per problem, and the facts it was judged on. */
export interface Health {
  healthy: boolean;
  reasons: string[];
  /** The newest snapshot's time (ISO), null when there is none. */
  lastRefreshAt: string | null;
  maxAgeMs: number;
  lock: HealthInputs['lock'];
}

/** Read the newest snapshot's time and the run lock of a data dir, without writing anything. */
export async function readHealthInputs(dataDir: string, now: number): Promise<HealthInputs> {
  let snapshotAt: HealthInputs['snapshotAt'];
  try {
    const takenAt = (await readDbFile(path.join(dataDir, 'db.json')))?.snapshot?.takenAt;
    snapshotAt = takenAt ? new Date(takenAt) : null;
  } catch (error) {
    snapshotAt = new Error(describeError(error));
  }
  const file = path.join(dataDir, LOCK_NAME);
  const mtime = (await stat(file).catch(() => null))?.mtimeMs;
  if (mtime === undefined) return { snapshotAt, lock: null };
  const holder = await readLock(file);
  const started = holder ? Date.parse(holder.startedAt) : NaN;
  const ageMs = Math.max(0, now - (Number.isFinite(started) ? started : mtime));
  const alive = holder ? isHolderAlive(holder) : ageMs < LOCK_WRITE_GRACE_MS;
  return { snapshotAt, lock: { holder, ageMs, alive } };
}

/**
 * Healthy when the newest snapshot is at most `maxAgeMs` old (before the first one: while a live
 * run holds the lock, at most `maxAgeMs`), and the run lock, if any, is held by a live run for at
 * most `maxAgeMs`.
 */
export function judgeHealth(inputs: HealthInputs, maxAgeMs: number, now: number): Health {
  const reasons: string[] = [];
  const { snapshotAt, lock } = inputs;
  const limit = formatDuration(maxAgeMs);
  const firstRunGoing = lock !== null && lock.alive && lock.ageMs <= maxAgeMs;
  if (snapshotAt instanceof Error) reasons.push(`the store cannot be read: ${snapshotAt.message}`);
  else if (snapshotAt === null) {
    if (!firstRunGoing) reasons.push('no refresh has taken a snapshot yet');
  } else if (Number.isNaN(snapshotAt.getTime()))
    reasons.push('the last snapshot has no valid time');
  else if (now - snapshotAt.getTime() > maxAgeMs)
    reasons.push(
      `the last refresh is ${formatDuration(now - snapshotAt.getTime())} old (limit ${limit})`,
    );
  if (lock && !lock.alive)
    reasons.push(
      lock.holder
        ? `stale run lock: ${lock.holder.command} (pid ${lock.holder.pid}) is gone`
        : 'stale run lock: its file is not readable',
    );
  else if (lock && lock.ageMs > maxAgeMs)
    reasons.push(
      `stale run lock: ${lock.holder?.command ?? 'a run'} has held it for ${formatDuration(lock.ageMs)} (limit ${limit})`,
    );
  const valid = snapshotAt instanceof Date && !Number.isNaN(snapshotAt.getTime());
  return {
    healthy: reasons.length === 0,
    reasons,
    lastRefreshAt: valid ? snapshotAt.toISOString() : null,
    maxAgeMs,
    lock,
  };
}
