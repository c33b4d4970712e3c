import { z } from 'zod';

// What the findings core knows of a finding's risk, as every reader (site, export, notify) gets it.

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
