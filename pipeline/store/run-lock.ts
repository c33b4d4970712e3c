import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Reporter } from '../reporter.ts';
import { formatDuration } from '../config/duration.ts';
import { createError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { isProcessAlive } from '../process-alive.ts';
import { checkDataDir } from './data-dir.ts';
import { sweepTempFiles } from './sweep.ts';

/** What the run lock file holds: who holds the data dir, since when. */
export interface LockInfo {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** The run lock's file name in the data dir. */
export const LOCK_NAME = '.run.lock';

/**
 * The locks this process holds now, by their start time: a lock with our pid and none of these
 * is a run before ours.
 */
const heldHere = new Set<string>();

/**
 * Run `work` holding the data dir's run lock, so two runs never write the store at once. A lock
 * whose process is gone (killed, crashed) is taken over. `waitMs`: how long to wait for a
 * holder (0: fail at once); see resolveWait.
 */
export async function withRunLock<T>(
  dataDir: string,
  command: string,
  waitMs: number,
  out: Reporter,
  work: () => Promise<T>,
): Promise<T> {
  await checkDataDir(dataDir);
  await mkdir(dataDir, { recursive: true }).catch((error: Error) => {
    const args = { dataDir, reason: error.message };
    throw createError(STORE_ERRORS.dataDirUncreatable, args, { cause: error });
  });
  const file = path.join(dataDir, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  let announced = false;
  for (;;) {
    const holder = await tryAcquire(file, command);
    if (!holder) break;
    if (Date.now() >= deadline) {
      const waited = waitMs ? formatDuration(waitMs) : undefined;
      throw createError(STORE_ERRORS.lockHeld, { dataDir, holder, waited });
    }
    if (!announced)
      out.info(
        `waiting for ${holder.command} (pid ${holder.pid}, started ${holder.startedAt}) to finish…`,
      );
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const mine = await readLock(file);
  if (mine) heldHere.add(mine.startedAt);
  // Also on process.exit() (a scan interrupted by a signal exits from its handler).
  const release = () => rmSync(file, { force: true });
  process.on('exit', release);
  const swept = await sweepTempFiles(dataDir);
  if (swept > 0) out.info(`removed ${swept} temp file(s) left by an interrupted write`);
  try {
    return await work();
  } finally {
    process.off('exit', release);
    if (mine) heldHere.delete(mine.startedAt);
    await rm(file, { force: true });
  }
}

/** Create the lock file exclusively; returns the live holder when it is taken, else null. */
async function tryAcquire(file: string, command: string): Promise<LockInfo | null> {
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
  };
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(info));
    } finally {
      await handle.close();
    }
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      await rm(file, { force: true }).catch(() => {});
      const args = { file, reason: (error as Error).message };
      throw createError(STORE_ERRORS.lockUnwritable, args, { cause: error });
    }
  }
  const holder = await readLock(file);
  if (holder && isHolderAlive(holder)) return holder;
  // A lock being written this instant is not yet readable: give its writer a moment.
  const age = Date.now() - ((await stat(file).catch(() => null))?.mtimeMs ?? 0);
  if (!holder && age < 5000)
    return { pid: 0, host: hostname(), command: 'another run', startedAt: 'just now' };
  // Its process is gone (killed, crashed): move the lock aside under a unique name, then retry.
  // Known gap: two runs taking over the same dead lock in the same instant can both win; the
  // exclusive create below narrows it to that instant.
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  await rename(file, aside).catch(() => {});
  await rm(aside, { force: true });
  return tryAcquire(file, command);
}

/**
 * Whether the lock's holder may still run: on another host it can't be told, so yes. A holder
 * with our own pid is alive only when this process took that lock; otherwise it is a run before
 * ours (a restarted container gets the same pid again).
 */
export function isHolderAlive(holder: LockInfo): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(holder.startedAt);
  return isProcessAlive(holder.pid);
}

/** The lock file's content; null when it is absent, being written or not JSON. */
export async function readLock(file: string): Promise<LockInfo | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}
