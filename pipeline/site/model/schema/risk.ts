import { z } from 'zod';
import { SEVERITIES } from '../../../vocabulary.ts';
import { EpssMarkSchema, KevMarkSchema, RiskRuleSchema } from '../../../findings/marks.ts';

export {
  EpssMarkSchema,
  FeedAgeSchema,
  KevMarkSchema,
  RiskRuleSchema,
  type EpssMark,
  type FeedAge,
  type KevMark,
  type RiskRule,
} from '../../../findings/marks.ts';

const probability = z.number().min(0).max(1);

/** One entry of the home page's "Fix first" list: a vulnerability, where it is, what fixes it. */
export const FixFirstItemSchema = z.object({
  id: z.string(),
  /** Its CVE page, when it has one. */
  slug: z.string().optional(),
  severity: z.enum(SEVERITIES),
  title: z.string().optional(),
  kev: KevMarkSchema.optional(),
  epss: EpssMarkSchema.optional(),
  /** Why it is listed: in KEV, in the top EPSS percentiles, critical with a fix. */
  reasons: z.array(z.enum(['kev', 'epss', 'critical_fix'])).min(1),
  /** Fixed versions of the affected packages ("pkg → version"); empty when none has a fix. */
  fixes: z.array(z.string()),
  containers: z.array(z.object({ host: z.string(), name: z.string(), domId: z.string() })),
  containerCount: z.number().int().nonnegative(),
  /** The ranking score (docs/dashboard.md#fix-first). */
  score: z.number(),
});
export type FixFirstItem = z.infer<typeof FixFirstItemSchema>;

export const FixFirstSchema = z.object({
  /** EPSS percentile from which a finding is listed (DOCKPEEK_FIX_FIRST_PERCENTILE / 100). */
  percentile: probability,
  /** The first FIX_FIRST_SHOWN entries, for the home page. */
  items: z.array(FixFirstItemSchema),
  /** Every entry, ranked: the Fix-first page lists them all, the CVE index marks them. */
  all: z.array(FixFirstItemSchema),
  /** Vulnerabilities that qualify (the length of `all`). */
  total: z.number().int().nonnegative(),
});
export type FixFirst = z.infer<typeof FixFirstSchema>;

/** One accepted (or no longer accepted) finding on the accepted-risk page. */
export const AcceptedFindingSchema = z.object({
  imageSlug: z.string(),
  ref: z.string(),
  id: z.string(),
  cveSlug: z.string().optional(),
  severity: z.enum(SEVERITIES),
  pkg: z.string(),
  installed: z.string(),
  rule: RiskRuleSchema,
  /** Accepted until (absent: no expiry), or expired at. */
  expiresAt: z.string().optional(),
  expiredAt: z.string().optional(),
});
export type AcceptedFinding = z.infer<typeof AcceptedFindingSchema>;

/** The accepted-risk page: what is accepted, what is back, which rules are stale or rejected. */
export const RiskPageSchema = z.object({
  configured: z.boolean(),
  rules: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  rejected: z.array(
    z.object({
      file: z.string(),
      code: z.string(),
      message: z.string(),
      line: z.number().optional(),
    }),
  ),
  stale: z.array(RiskRuleSchema),
  accepted: z.array(AcceptedFindingSchema),
  acceptedTotal: z.number().int().nonnegative(),
  expired: z.array(AcceptedFindingSchema),
  expiredTotal: z.number().int().nonnegative(),
  /** Vulnerability ids whose every finding a rule accepts (so they are not on the CVE index). */
  acceptedOnlyCves: z.number().int().nonnegative().optional(),
});
export type RiskPage = z.infer<typeof RiskPageSchema>;
