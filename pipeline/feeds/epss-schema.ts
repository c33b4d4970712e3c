import { z } from 'zod';

/** A CVE id as CISA and FIRST write it. */
export const CveIdSchema = z.string().regex(/^CVE-\d{4}-\d{4,19}$/, 'not a CVE id (CVE-YYYY-NNNN)');

/** The comment line that opens FIRST's file: `#model_version:v2025.03.14,score_date:2025-…`. */
export const EpssMetaSchema = z.object({
  /** The EPSS model that computed the scores, e.g. v2025.03.14. */
  modelVersion: z.string().regex(/^[\w.-]{1,40}$/, 'not a model version'),
  /** The day the scores are for (ISO 8601, as FIRST writes it). */
  scoreDate: z.string().regex(/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/, 'not an ISO date'),
});
export type EpssMeta = z.infer<typeof EpssMetaSchema>;

/** The header line FIRST's CSV has after the comment. */
export const EPSS_HEADER = 'cve,epss,percentile';

// A probability as FIRST prints it: 0.00043, 1.0, or in exponent form (9e-05).
const Probability = z
  .string()
  .regex(/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i, 'not a decimal')
  .transform(Number)
  .pipe(z.number().min(0, 'below 0').max(1, 'above 1'));

/** One data row: `cve,epss,percentile`. */
export const EpssRowSchema = z.tuple([CveIdSchema, Probability, Probability]);

/** One CVE's scores. */
export interface EpssScore {
  /** Probability of exploitation activity in the next 30 days, 0..1. */
  epss: number;
  /** Share of scored CVEs with a lower or equal score, 0..1. */
  percentile: number;
}
