import { z } from 'zod';
import { FAILURE_CODES, STORED_SCAN_STATUSES } from '../vocabulary.ts';
import { CAPS, ScanSummarySchema } from './finding.ts';

/** The scan state of one image (by image id), shared by every container that runs it. */
export const ScanRecordSchema = z.object({
  /** pending while queued in a run; never left pending after a run. */
  status: z.enum(STORED_SCAN_STATUSES),
  imageId: z.string(),
  /** The reference that was scanned and the host whose daemon served it. */
  ref: z.string(),
  host: z.string(),
  /** When this state was reached. */
  updatedAt: z.string(),
  /** scanned only */
  summary: ScanSummarySchema.optional(),
  scannedAt: z.string().optional(),
  durationMs: z.number().optional(),
  trivyVersion: z.string().optional(),
  /** File name under data/reports/ holding the full findings (content-addressed). */
  report: z.string().optional(),
  /** scanned only: the image's OS as Trivy saw it (Metadata.OS); absent in older stores. */
  os: z
    .object({
      /** debian, alpine, ubuntu, redhat, … */
      family: z.string().max(CAPS.word),
      /** The release, e.g. 12.11 or 3.19.1. */
      name: z.string().max(CAPS.word),
      /** Past its end of service life: no more security fixes. */
      eosl: z.boolean(),
    })
    .optional(),
  /** failed only */
  error: z.object({ code: z.enum(FAILURE_CODES), message: z.string() }).optional(),
  /** failed only: not retried before this time (TRIVY_FAILED_TTL). */
  retryAfter: z.string().optional(),
});
export type ScanRecord = z.infer<typeof ScanRecordSchema>;

/** The outcome of the last scan run: it ran, or no scanner could run at all (and why). */
export const ScanRunRecordSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ran'), at: z.string() }),
  z.object({
    state: z.literal('unavailable'),
    at: z.string(),
    message: z.string(),
    hint: z.string(),
  }),
]);
export type ScanRunRecord = z.infer<typeof ScanRunRecordSchema>;

/** The key images are deduplicated by: the image id, else the reference. */
export function imageKey(container: { imageId: string; image: string }): string {
  return container.imageId || `ref:${container.image}`;
}
