import { z } from 'zod';
import { NOTIFY_EVENT_KINDS, NOTIFY_FAILURE_CODES, SEVERITIES } from '../vocabulary.ts';
import { dataRecord } from '../data-record-schema.ts';
import { NotifyEventSchema } from './events.ts';

/** Bumped when notify-state.json changes incompatibly (an older file is then a new baseline). */
export const NOTIFY_STATE_VERSION = 1;

/** Which findings are worth a message: at `severity` or worse, or at `fixable` or worse with a fix. */
export const ThresholdSchema = z.object({
  severity: z.enum(SEVERITIES),
  /** null: a fix does not lower the bar. */
  fixable: z.enum(SEVERITIES).nullable(),
});
export type Threshold = z.infer<typeof ThresholdSchema>;

/** What was known of one image reference on one host when notifications were last computed. */
export const ImageObservationSchema = z.object({
  /** The scan state then; failed and unknown images produce no finding events. */
  scan: z.enum(['scanned', 'failed', 'unknown']),
  /**
   * Identities (toKeyed) of the findings at or above the threshold, from the last scan that
   * succeeded; absent while they were never known. Kept through failures, so a recovery compares
   * two real scans.
   */
  notable: z.array(z.string()).optional(),
  /** Identities of tracked findings that had no fix (a fix later is an event). */
  unfixed: z.array(z.string()).optional(),
  /** Remote digest of an update seen available (absent: none); kept while the registry is unknown. */
  update: z.string().optional(),
});
export type ImageObservation = z.infer<typeof ImageObservationSchema>;

/** The state at the last notification: compact identities, not findings. */
export const ObservationSchema = z.object({
  /** Whether each host answered. */
  hosts: dataRecord(z.object({ up: z.boolean() })),
  /**
   * Per host that was ever read, per image reference. A host that is down keeps its last entries;
   * one never read has none (its images are a baseline when it first answers).
   */
  images: dataRecord(dataRecord(ImageObservationSchema)),
});
export type Observation = z.infer<typeof ObservationSchema>;

/** One delivery failure. */
export const FailureSchema = z.object({
  code: z.enum(NOTIFY_FAILURE_CODES),
  /** In words, with every credential of the configured URLs removed. */
  message: z.string(),
});
export type Failure = z.infer<typeof FailureSchema>;

/** Delivery state of one event to one destination. */
export const AttemptSchema = z.object({
  /** Runs that tried and failed. */
  attempts: z.number().int(),
  lastAt: z.string().optional(),
  lastError: FailureSchema.optional(),
});

/** An event not yet delivered everywhere: destinations by id (a hash: URLs are never stored). */
export const PendingSchema = z.object({
  event: NotifyEventSchema,
  remaining: z.record(z.string(), AttemptSchema),
});
export type Pending = z.infer<typeof PendingSchema>;

/** An event given up for one destination after the retry cap. */
export const DroppedSchema = z.object({
  eventId: z.string(),
  kind: z.enum(NOTIFY_EVENT_KINDS),
  /** The event's message title. */
  title: z.string(),
  detectedAt: z.string(),
  droppedAt: z.string(),
  destination: z.string(),
  /** The destination as shown (scheme and host only). */
  label: z.string(),
  attempts: z.number().int(),
  reason: FailureSchema,
});
export type Dropped = z.infer<typeof DroppedSchema>;

/** data/notify-state.json. */
export const NotifyStateSchema = z.object({
  schemaVersion: z.literal(NOTIFY_STATE_VERSION),
  /** When the first run recorded the baseline. */
  baselineAt: z.string(),
  /** When the observation below was taken. */
  observedAt: z.string(),
  /** The threshold the observation was computed with; a change re-baselines findings. */
  threshold: ThresholdSchema,
  observation: ObservationSchema,
  pending: z.array(PendingSchema),
  /** Newest last, at most MAX_DROPPED. */
  dropped: z.array(DroppedSchema),
  /** The digest slot last sent (DOCKPEEK_NOTIFY_DIGEST). */
  lastDigestAt: z.string().optional(),
});
export type NotifyState = z.infer<typeof NotifyStateSchema>;

/** Dropped records kept for `notify --status`. */
export const MAX_DROPPED = 200;
