import { formatBytes } from '../config/bytes.ts';
import type { FeedsFlags } from '../config/option-table.ts';
import { formatDuration } from '../config/duration.ts';
import { SETTINGS, readSetting } from '../config/settings.ts';
import { createError } from '../errors.ts';
import { COMMAND_ERRORS } from '../errors/command-errors.ts';
import { detectFeed } from '../feeds/detect-feed.ts';
import {
  DEFAULT_FEED_URLS,
  FEED_URL_VARIABLES,
  describeFeedSource,
  parseFeedSource,
  type FeedSource,
} from '../feeds/sources.ts';
import { readFeedInfo } from '../feeds/read-feeds.ts';
import type { StoredFeed } from '../feeds/feed-state.ts';
import { updateFeed, type FeedLimits, type FeedOutcome } from '../feeds/update-feed.ts';
import type { Reporter } from '../reporter.ts';
import { FEEDS, type FeedName } from '../vocabulary.ts';

export type { FeedsFlags };

/** What the feeds stage downloads, with which caps. */
export interface FeedsConfig {
  jobs: Array<{ feed: FeedName; source: FeedSource }>;
  limits: Record<FeedName, FeedLimits>;
  /** Age from which refresh downloads a feed again. */
  maxAgeMs: number;
}

/** Sources and caps, all checked before anything is downloaded (config_invalid / usage). */
export async function resolveFeedsConfig(
  flags: FeedsFlags,
  env: NodeJS.ProcessEnv,
): Promise<FeedsConfig> {
  const timeoutMs = readSetting(SETTINGS.feedTimeout, undefined, env);
  const maxUnpacked = readSetting(SETTINGS.epssMaxUnpacked, undefined, env);
  const limits = {
    kev: { timeoutMs, maxBytes: readSetting(SETTINGS.kevMaxSize, undefined, env), maxUnpacked },
    epss: { timeoutMs, maxBytes: readSetting(SETTINGS.epssMaxSize, undefined, env), maxUnpacked },
  };
  const maxAgeMs = readSetting(SETTINGS.feedMaxAge, undefined, env);
  const chosen = new Map<FeedName, FeedSource>();
  const choose = (feed: FeedName, source: FeedSource, origin: string) => {
    if (chosen.has(feed)) throw createError(COMMAND_ERRORS.feedSourceTwice, { origin, feed });
    chosen.set(feed, source);
  };
  if (flags.kev !== undefined) choose('kev', parseFeedSource(flags.kev, '--kev'), '--kev');
  if (flags.epss !== undefined) choose('epss', parseFeedSource(flags.epss, '--epss'), '--epss');
  for (const file of flags.from ?? []) {
    const source = parseFeedSource(file, '--from');
    const feed = source.kind === 'file' ? await detectFeed(source.path) : null;
    if (!feed) throw createError(COMMAND_ERRORS.feedFileUnknown, { file });
    choose(feed, source, `--from ${file}`);
  }
  if (chosen.size === 0)
    for (const feed of FEEDS) {
      const variable = FEED_URL_VARIABLES[feed];
      chosen.set(feed, parseFeedSource(env[variable]?.trim() || DEFAULT_FEED_URLS[feed], variable));
    }
  return { jobs: [...chosen].map(([feed, source]) => ({ feed, source })), limits, maxAgeMs };
}

/**
 * Update the configured feeds, one line each. `onlyOlderThanMaxAge` (refresh): skip a feed whose
 * stored copy is younger than maxAgeMs. A failed feed keeps its previous copy and degrades the run.
 */
export async function runFeedsStage(
  dataDir: string,
  config: FeedsConfig,
  out: Reporter,
  options: { onlyOlderThanMaxAge?: boolean; now?: Date } = {},
): Promise<{ degraded: boolean; outcomes: FeedOutcome[] }> {
  const now = options.now ?? new Date();
  const info = await readFeedInfo(dataDir, now);
  const outcomes: FeedOutcome[] = [];
  for (const { feed, source } of config.jobs) {
    const { stored, ageMs } = info[feed];
    if (options.onlyOlderThanMaxAge && stored && ageMs !== null && ageMs < config.maxAgeMs) {
      out.info(`feeds: ${feed} is ${formatDuration(ageMs)} old (${describeStored(stored)}); kept`);
      continue;
    }
    const outcome = await updateFeed(dataDir, feed, source, config.limits[feed], now);
    outcomes.push(outcome);
    if (outcome.ok) {
      out.info(
        `feeds: ${feed} ${out.ok('ok')}: ${describeStored(outcome.stored)}, ${formatBytes(outcome.stored.bytes)} from ${describeFeedSource(source)} in ${formatDuration(outcome.ms)}`,
      );
      for (const warning of outcome.warnings) out.warn(`feeds: ${warning}`);
    } else {
      const kept = outcome.kept
        ? `kept the copy fetched ${outcome.kept.fetchedAt} (${describeStored(outcome.kept)})`
        : 'there is no previous copy';
      out.warn(
        `feeds: ${feed} ${out.bad('failed')} [${outcome.error.code}] ${outcome.error.message}; ${kept}`,
      );
    }
  }
  return { degraded: outcomes.some((o) => !o.ok), outcomes };
}

function describeStored(stored: StoredFeed): string {
  return stored.feed === 'kev'
    ? `${stored.entries} entries, catalog ${stored.catalogVersion}`
    : `${stored.entries} scores, model ${stored.modelVersion}, scores of ${stored.scoreDate.slice(0, 10)}`;
}
