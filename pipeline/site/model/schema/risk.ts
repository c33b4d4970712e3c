import { z } from 'zod';
import { SEVERITIES } from '../../../vocabulary.ts';

const day = z.string().regex(/^\d{4}-\d\d-\d\d$/);
const time = z.iso.datetime({ offset: true });
const probability = z.number().min(0).max(1);

/** A finding's CVE is in CISA's Known Exploited Vulnerabilities catalogue. */
export const KevMarkSchema = z.object({
  dateAdded: day,
  /** The day US federal agencies must have fixed it. */
  dueDate: day,
  /** CISA knows of its use in ransomware campaigns. */
  ransomware: z.boolean(),
  /** CISA's short name of the vulnerability. */
  name: z.string().max(200),
});
export type KevMark = z.infer<typeof KevMarkSchema>;

/** FIRST's EPSS: probability of exploitation in the next 30 days, and its percentile. */
export const EpssMarkSchema = z.object({ score: probability, percentile: probability });
export type EpssMark = z.infer<typeof EpssMarkSchema>;

/** An accepted-risk rule as pages show it. */
export const RiskRuleSchema = z.object({
  /** File name, place in it and line: "accepted.yaml vulnerabilities[0] (line 2)". */
  source: z.string(),
  vulnerability: z.string(),
  status: z.string(),
  /** The statement, the justification, or the status. */
  reason: z.string(),
});
export type RiskRule = z.infer<typeof RiskRuleSchema>;

/** How old a stored feed is, and whether its last refresh failed. */
export const FeedAgeSchema = z.object({
  /** When the copy in use was downloaded; null when there is none. */
  fetchedAt: time.nullable(),
  /** "catalogue 2025.08.25", "scores of 2025-08-25". */
  version: z.string().nullable(),
  entries: z.number().int().nonnegative().nullable(),
  lastFailure: z.object({ at: z.string(), code: z.string(), message: z.string() }).optional(),
});
export type FeedAge = z.infer<typeof FeedAgeSchema>;

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
  items: z.array(FixFirstItemSchema),
  /** Vulnerabilities that qualify; `items` holds the first of them. */
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
});
export type RiskPage = z.infer<typeof RiskPageSchema>;
