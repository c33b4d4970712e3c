import { z } from 'zod';
import { BADGE_SEVERITIES, describeSeverities, SEVERITIES } from '../../../vocabulary.ts';
import { TableSchema, UpdatePlanSchema } from './containers.ts';
import { CvePageSchema, SearchIndexSchema } from './cves.ts';
import { HistorySchema } from './history.ts';
import { ImagePageSchema } from './images.ts';
import { FeedAgeSchema, FixFirstSchema, RiskPageSchema } from './risk.ts';
import { SummarySchema } from './summary.ts';

const time = z.iso.datetime({ offset: true });

/** How old the data is, and when it counts as stale; the page re-checks with its own clock. */
export const FreshnessSchema = z.object({
  snapshotAt: time,
  /** Oldest and newest scan time among the images scanned; null when none is. */
  scans: z.object({ oldest: time, newest: time }).nullable(),
  builtAt: time,
  /** A snapshot older than this is stale (DOCKPEEK_STALE_AFTER). */
  staleAfterMs: z.number().int().positive(),
  /** A scan older than this is stale (TRIVY_RESULT_TTL). */
  resultTtlMs: z.number().int().nonnegative(),
  /** The stored KEV and EPSS copies. */
  feeds: z.object({ kev: FeedAgeSchema, epss: FeedAgeSchema }),
});
export type Freshness = z.infer<typeof FreshnessSchema>;

/** What the last scan run could do: the site says plainly when nothing could be scanned. */
export const ScanRunSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('never') }),
  z.object({ state: z.literal('ran'), at: time }),
  z.object({
    state: z.literal('unavailable'),
    at: time,
    /** Why no scan could run ("cannot run trivy: …"). */
    message: z.string(),
    /** What to do ("Install Trivy…"). */
    hint: z.string(),
  }),
]);
export type ScanRun = z.infer<typeof ScanRunSchema>;

/** One severity as the pages show it. */
const SeverityWordsSchema = z.object({
  key: z.enum(SEVERITIES),
  /** Badge letter: colour is never the only signal. */
  letter: z.string(),
  label: z.string(),
  /** 0 for the most severe (severityRank): pages sort by it ascending, worst first. */
  rank: z.number().int().nonnegative(),
  /** Whether it has a badge colour and a summary card (unknown is counted, not badged). */
  badged: z.boolean(),
});

/** The severities in the pages' words, so no page writes its own list, letters or ranks. */
export const VocabularySchema = z.object({
  /** Every severity, most severe first. */
  severities: z.array(SeverityWordsSchema),
  /** The badge severities (table columns, filters, history counts), most severe first. */
  badgeSeverities: z.array(SeverityWordsSchema.extend({ key: z.enum(BADGE_SEVERITIES) })),
});

/** Everything the site shows, built once per build by the pipeline and validated. */
export const SiteModelSchema = z.object({
  version: z.string(),
  freshness: FreshnessSchema,
  scanRun: ScanRunSchema,
  summary: SummarySchema,
  table: TableSchema,
  updatePlans: z.array(UpdatePlanSchema),
  images: z.array(ImagePageSchema),
  /** One page per vulnerability id of the current snapshot (at most MAX_CVE_PAGES). */
  cves: z.array(CvePageSchema),
  search: SearchIndexSchema,
  fixFirst: FixFirstSchema,
  risk: RiskPageSchema,
  history: HistorySchema,
  vocabulary: VocabularySchema,
});
export type SiteModel = z.infer<typeof SiteModelSchema>;

/** The vocabulary every model carries. */
export const VOCABULARY: z.infer<typeof VocabularySchema> = {
  severities: describeSeverities(SEVERITIES).map((s) => ({
    ...s,
    badged: (BADGE_SEVERITIES as readonly string[]).includes(s.key),
  })),
  badgeSeverities: describeSeverities(BADGE_SEVERITIES).map((s) => ({ ...s, badged: true })),
};
