import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.ts';
import type { FeedName } from '../vocabulary.ts';
import { downloadToFile, type Downloaded } from './download.ts';
import { FeedError, toFeedFailure, type FeedFailure } from './feed-error.ts';
import { feedsDir, readFeedsFile, writeFeedState, type StoredFeed } from './feed-state.ts';
import { readKevFile } from './read-kev.ts';
import { scanEpssFile } from './read-epss.ts';
import { describeFeedSource, type FeedSource } from './sources.ts';

/** Caps of one feed update (see SETTINGS: feedTimeout, kevMaxSize, epssMaxSize, epssMaxUnpacked). */
export interface FeedLimits {
  timeoutMs: number;
  /** Bytes as sent. */
  maxBytes: number;
  /** EPSS only: bytes once gunzipped. */
  maxUnpacked: number;
}

/** The outcome of one feed update; `kept` is the copy still in use after a failure. */
export type FeedOutcome =
  | { feed: FeedName; ok: true; stored: StoredFeed; ms: number; warnings: string[] }
  | { feed: FeedName; ok: false; error: FeedFailure; kept: StoredFeed | null; ms: number };

const TEMP = /^\.(kev|epss)-download-[0-9a-f]{8}\.tmp$/;

/**
 * Download, validate and store one feed. The new copy replaces the stored one only once it is
 * valid and on disk (feeds.json is the commit point); on any failure the stored copy stays and
 * the failure is recorded. Never throws. Call it holding the data dir's run lock.
 */
export async function updateFeed(
  dataDir: string,
  feed: FeedName,
  source: FeedSource,
  limits: FeedLimits,
  now: Date = new Date(),
): Promise<FeedOutcome> {
  const started = performance.now();
  const what = describeFeedSource(source);
  const dir = feedsDir(dataDir);
  const temp = path.join(dir, `.${feed}-download-${randomBytes(4).toString('hex')}.tmp`);
  const previous = (await readFeedsFile(dataDir))[feed].stored;
  try {
    await mkdir(dir, { recursive: true }).catch((error: Error) => {
      throw new FeedError('unwritable', `cannot create ${dir}: ${error.message}`);
    });
    await sweepTemp(dir);
    const got = await downloadToFile(source, temp, limits);
    const { stored, warnings } = await storeValidated(dir, feed, temp, got, limits, what, now);
    await commit(dataDir, feed, {
      stored,
      lastAttempt: { at: now.toISOString(), source: what, ok: true },
    });
    await removeUnused(dir, feed, stored.file);
    return { feed, ok: true, stored, ms: performance.now() - started, warnings };
  } catch (caught) {
    const error = toFeedFailure(caught, what);
    await rm(temp, { force: true }).catch(() => {});
    const attempt = { at: now.toISOString(), source: what, ok: false, error };
    await writeFeedState(dataDir, feed, { stored: previous, lastAttempt: attempt }).catch(() => {});
    return { feed, ok: false, error, kept: previous, ms: performance.now() - started };
  }
}

/** Validate the downloaded file and move it (KEV: its normalised form) to its final name. */
async function storeValidated(
  dir: string,
  feed: FeedName,
  temp: string,
  got: Downloaded,
  limits: FeedLimits,
  what: string,
  now: Date,
): Promise<{ stored: StoredFeed; warnings: string[] }> {
  const common = {
    fetchedAt: now.toISOString(),
    source: what,
    bytes: got.bytes,
    sha256: got.sha256,
  };
  const id = got.sha256.slice(0, 16);
  if (feed === 'kev') {
    const catalog = await readKevFile(temp, limits.maxBytes, what);
    const entries = catalog.vulnerabilities.length;
    const file = `kev-${id}.json`;
    await writeStored(path.join(dir, file), `${JSON.stringify(catalog)}\n`);
    await rm(temp, { force: true });
    const { catalogVersion, dateReleased, count } = catalog;
    const warnings =
      count === entries ? [] : [`${what}: count says ${count} but the list has ${entries} entries`];
    return { stored: { feed, file, ...common, entries, catalogVersion, dateReleased }, warnings };
  }
  const scan = await scanEpssFile(temp, { maxUnpacked: limits.maxUnpacked, what });
  const file = `epss-${id}.${scan.gzip ? 'csv.gz' : 'csv'}`;
  await rename(temp, path.join(dir, file)).catch(unwritable(file));
  return { stored: { feed, file, ...common, entries: scan.rows, ...scan.meta }, warnings: [] };
}

async function writeStored(file: string, text: string): Promise<void> {
  await writeFileAtomic(file, text).catch(unwritable(file));
}

async function commit(
  dataDir: string,
  feed: FeedName,
  state: Parameters<typeof writeFeedState>[2],
) {
  await writeFeedState(dataDir, feed, state).catch(unwritable('feeds.json'));
}

function unwritable(file: string) {
  return (error: Error): never => {
    throw new FeedError('unwritable', `cannot store ${file}: ${error.message}`);
  };
}

/** Delete this feed's older copies once the new one is committed. */
async function removeUnused(dir: string, feed: FeedName, keep: string): Promise<void> {
  const pattern = new RegExp(`^${feed}-[0-9a-f]{16}\\.(json|csv|csv\\.gz)$`);
  for (const name of await readdir(dir).catch(() => [] as string[]))
    if (pattern.test(name) && name !== keep) await rm(path.join(dir, name), { force: true });
}

/** Temp files of downloads that were killed half-way (only the lock holder gets here). */
async function sweepTemp(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[]))
    if (TEMP.test(name)) await rm(path.join(dir, name), { force: true });
}
