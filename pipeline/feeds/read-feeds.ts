import path from 'node:path';
import { SETTINGS } from '../config/settings.ts';
import type { FeedName } from '../vocabulary.ts';
import type { EpssScore } from './epss-schema.ts';
import {
  feedsDir,
  readFeedsFile,
  type FeedAttempt,
  type StoredEpss,
  type StoredFeed,
  type StoredKev,
} from './feed-state.ts';
import type { KevEntry } from './kev-schema.ts';
import { readKevFile } from './read-kev.ts';
import { scanEpssFile } from './read-epss.ts';

/** What the build shows about one feed: the copy in use, its age, and the last try. */
export interface FeedInfo {
  feed: FeedName;
  /** The copy in use, or null when there is none. */
  stored: StoredFeed | null;
  /** now − stored.fetchedAt in ms; null without a copy. */
  ageMs: number | null;
  /** The last refresh try (a failure here with a stored copy: the copy is older than wanted). */
  lastAttempt: FeedAttempt | null;
}

/** The KEV catalogue indexed by CVE id. */
export interface KevIndex {
  meta: StoredKev;
  entries: ReadonlyMap<string, KevEntry>;
}

/** EPSS scores of the CVEs asked for (those without a score are absent). */
export interface EpssScores {
  meta: StoredEpss;
  scores: ReadonlyMap<string, EpssScore>;
}

/** Each feed's stored copy, age and last try. Never throws. */
export async function readFeedInfo(
  dataDir: string,
  now: Date = new Date(),
): Promise<Record<FeedName, FeedInfo>> {
  const file = await readFeedsFile(dataDir);
  const info = (feed: FeedName): FeedInfo => {
    const { stored, lastAttempt } = file[feed];
    const ageMs = stored ? Math.max(0, now.getTime() - Date.parse(stored.fetchedAt)) : null;
    return { feed, stored, ageMs: Number.isNaN(ageMs) ? null : ageMs, lastAttempt };
  };
  return { kev: info('kev'), epss: info('epss') };
}

/** The stored KEV catalogue by CVE id; null when there is none or it cannot be read. */
export async function loadKevIndex(dataDir: string): Promise<KevIndex | null> {
  const meta = (await readFeedsFile(dataDir)).kev.stored;
  if (meta?.feed !== 'kev') return null;
  try {
    const file = path.join(feedsDir(dataDir), meta.file);
    const catalog = await readKevFile(file, SETTINGS.kevMaxSize.max, meta.file);
    return { meta, entries: new Map(catalog.vulnerabilities.map((v) => [v.cveID, v])) };
  } catch {
    return null;
  }
}

/**
 * Stream the stored EPSS file and keep only the scores of `cves` (the ids in the current
 * findings), so memory grows with the fleet, not with the feed. Null when there is no usable copy.
 */
export async function loadEpssScores(
  dataDir: string,
  cves: Iterable<string>,
): Promise<EpssScores | null> {
  const meta = (await readFeedsFile(dataDir)).epss.stored;
  if (meta?.feed !== 'epss') return null;
  const wanted = new Set(cves);
  const scores = new Map<string, EpssScore>();
  try {
    const file = path.join(feedsDir(dataDir), meta.file);
    await scanEpssFile(file, {
      maxUnpacked: SETTINGS.epssMaxUnpacked.max,
      what: meta.file,
      keep: (cve) => wanted.has(cve),
      onRow: (cve, score) => scores.set(cve, score),
    });
    return { meta, scores };
  } catch {
    return null;
  }
}
