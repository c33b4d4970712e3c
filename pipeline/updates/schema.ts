import { z } from 'zod';
import { UPDATE_STATUSES } from '../vocabulary.ts';

/** Whether the registry has a newer image for one reference (docs/updates.md; read-only). */
export const UpdateRecordSchema = z.object({
  status: z.enum(UPDATE_STATUSES),
  /** Why the status is unknown, in words. */
  reason: z.string().optional(),
  /** The reference checked, e.g. lscr.io/linuxserver/sonarr:4.0.11 */
  ref: z.string(),
  /** The host whose daemon asked the registry. */
  host: z.string(),
  checkedAt: z.string(),
  /** The registry's digest for the tag, when it answered. */
  remoteDigest: z.string().optional(),
  /** The local repo digests compared against (a change forces a new check). */
  localDigests: z.array(z.string()),
});
export type UpdateRecord = z.infer<typeof UpdateRecordSchema>;
