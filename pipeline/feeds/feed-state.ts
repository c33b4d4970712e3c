import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { FEED_ERROR_CODES, type FeedName } from '../vocabulary.ts';

/** Folder of the stored feeds under the data dir. */
export function feedsDir(dataDir: string): string {
  return path.join(dataDir, 'feeds');
}

const Common = {
  /** File name under <data>/feeds/ holding the validated feed. */
  file: z.string().regex(/^(kev|epss)-[0-9a-f]{16}\.(json|csv|csv\.gz)$/),
  /** When it was downloaded (ISO 8601). */
  fetchedAt: z.string(),
  /** The URL (without its query) or absolute path it came from. */
  source: z.string(),
  /** Bytes as downloaded, and their sha256. */
  bytes: z.number(),
  sha256: z.string(),
  /** Vulnerabilities (KEV) or scored CVEs (EPSS) in it. */
  entries: z.number(),
};

/** The stored copy of a feed: what it is and where it came from. */
export const StoredFeedSchema = z.discriminatedUnion('feed', [
  z.object({
    feed: z.literal('kev'),
    ...Common,
    /** CISA's catalogVersion, e.g. 2025.08.25. */
    catalogVersion: z.string(),
    /** CISA's dateReleased (ISO 8601). */
    dateReleased: z.string(),
  }),
  z.object({
    feed: z.literal('epss'),
    ...Common,
    /** FIRST's model_version, e.g. v2025.03.14. */
    modelVersion: z.string(),
    /** FIRST's score_date: the day the scores are for. */
    scoreDate: z.string(),
  }),
]);
export type StoredFeed = z.infer<typeof StoredFeedSchema>;
export type StoredKev = Extract<StoredFeed, { feed: 'kev' }>;
export type StoredEpss = Extract<StoredFeed, { feed: 'epss' }>;

/** The last try to refresh a feed, successful or not. */
export const FeedAttemptSchema = z.object({
  at: z.string(),
  source: z.string(),
  ok: z.boolean(),
  /** Failed tries only. */
  error: z.object({ code: z.enum(FEED_ERROR_CODES), message: z.string() }).optional(),
});
export type FeedAttempt = z.infer<typeof FeedAttemptSchema>;

const FeedStateSchema = z.object({
  /** The copy in use, or null before the first success. */
  stored: StoredFeedSchema.nullable().default(null),
  lastAttempt: FeedAttemptSchema.nullable().default(null),
});

/** <data>/feeds/feeds.json: the one commit point of every feed update. */
export const FeedsFileSchema = z.object({
  schemaVersion: z.literal(1),
  kev: FeedStateSchema.default({ stored: null, lastAttempt: null }),
  epss: FeedStateSchema.default({ stored: null, lastAttempt: null }),
});
export type FeedsFile = z.infer<typeof FeedsFileSchema>;

const EMPTY: FeedsFile = {
  schemaVersion: 1,
  kev: { stored: null, lastAttempt: null },
  epss: { stored: null, lastAttempt: null },
};

/** feeds.json, or the empty state when it is missing or damaged (the feeds then download again). */
export async function readFeedsFile(dataDir: string): Promise<FeedsFile> {
  try {
    const text = await readFile(path.join(feedsDir(dataDir), 'feeds.json'), 'utf8');
    const parsed = FeedsFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : structuredClone(EMPTY);
  } catch {
    return structuredClone(EMPTY);
  }
}

/** Replace one feed's state in feeds.json, atomically. */
export async function writeFeedState(
  dataDir: string,
  feed: FeedName,
  state: FeedsFile[FeedName],
): Promise<void> {
  const current = await readFeedsFile(dataDir);
  const next: FeedsFile = { ...current, [feed]: state };
  await writeFileAtomic(
    path.join(feedsDir(dataDir), 'feeds.json'),
    `${JSON.stringify(FeedsFileSchema.parse(next), null, 2)}\n`,
  );
}
