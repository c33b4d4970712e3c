import { z } from 'zod';
import { FAILURE_CODES, SEVERITIES, severityCountsSchema } from '../../../vocabulary.ts';

const count = z.number().int().nonnegative();
const time = z.iso.datetime({ offset: true });

/** Counts per severity of one scanned image. */
export const SeverityCountsSchema = severityCountsSchema(count);
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

/**
 * The security state of one image (and every container running it). Numbers exist only for a
 * scanned image: failed, pending, not scanned and skipped carry a reason, never a zero.
 */
export const SecuritySchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('scanned'),
    counts: SeverityCountsSchema,
    /** Findings: one CVE in two packages counts twice. */
    findings: count,
    uniqueCves: count,
    /** Findings with a fixed version. */
    fixable: count,
    /** The most severe severity found; null when clean. */
    worst: z.enum(SEVERITIES).nullable(),
    /** Scanned and nothing found: the only state drawn in the clean colour. */
    clean: z.boolean(),
    scannedAt: time,
    trivyVersion: z.string().optional(),
    /** The image's OS as Trivy saw it; `eosl`: its release gets no security fixes any more. */
    os: z.object({ family: z.string(), name: z.string(), eosl: z.boolean() }).optional(),
    /** Findings accepted by a rule: not in counts, findings or badges. */
    accepted: count.optional(),
    /** Findings whose acceptance expired: counted again. */
    expired: count.optional(),
    /** Findings in the KEV catalogue; absent when no catalogue is stored. */
    kev: count.optional(),
  }),
  z.object({
    state: z.literal('failed'),
    code: z.enum(FAILURE_CODES),
    message: z.string(),
    failedAt: time,
    /** Not retried before this time (TRIVY_FAILED_TTL). */
    retryAfter: time.optional(),
  }),
  z.object({ state: z.literal('pending'), since: time }),
  z.object({
    state: z.literal('not_scanned'),
    /** Why: new since the last scan, or no scanner available. */
    reason: z.string(),
  }),
  z.object({ state: z.literal('skipped'), reason: z.string() }),
]);
export type Security = z.infer<typeof SecuritySchema>;

/** Whether the registry has a newer image, as recorded when the page's snapshot was taken. */
export const UpdateSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('available'),
    checkedAt: time,
    /** On anchors: "Updating will affect 4 dependents: …". */
    anchorWarning: z.string().optional(),
  }),
  z.object({ state: z.literal('current'), checkedAt: time }),
  z.object({ state: z.literal('unknown'), checkedAt: time, reason: z.string() }),
  /** No update check was recorded for this image (never checked, or an old archive). */
  z.object({ state: z.literal('unrecorded') }),
]);
export type Update = z.infer<typeof UpdateSchema>;
