// The feeds (CISA KEV, FIRST EPSS): update them (the feeds command and the refresh stage) and
// read them (the site build). Only re-exports.
export {
  DEFAULT_FEED_URLS,
  FEED_URL_VARIABLES,
  parseFeedSource,
  describeFeedSource,
} from './sources.ts';
export type { FeedSource } from './sources.ts';
export { updateFeed } from './update-feed.ts';
export type { FeedLimits, FeedOutcome } from './update-feed.ts';
export { readFeedInfo, loadKevIndex, loadEpssScores } from './read-feeds.ts';
export type { FeedInfo, KevIndex, EpssScores } from './read-feeds.ts';
export { kevLinks } from './kev-links.ts';
export type { KevEntry, KevCatalog } from './kev-schema.ts';
export type { EpssScore, EpssMeta } from './epss-schema.ts';
export type { StoredFeed, StoredKev, StoredEpss, FeedAttempt } from './feed-state.ts';
export type { FeedFailure } from './feed-error.ts';
