import { z } from 'zod';
import { BADGE_SEVERITIES, HOST_ERROR_CODES } from '../../../vocabulary.ts';

const count = z.number().int().nonnegative();

/** How many images (or containers) are in each scan state. */
export const StateCountsSchema = z.object({
  total: count,
  /** Scanned, with or without findings. */
  scanned: count,
  clean: count,
  vulnerable: count,
  failed: count,
  pending: count,
  notScanned: count,
  skipped: count,
});
export type StateCounts = z.infer<typeof StateCountsSchema>;

/**
 * One severity card. The figures cover only scanned images and are null when none was scanned;
 * `tone` is "clean" (green) only when nothing is unknown.
 */
export const SeverityTotalSchema = z.object({
  key: z.enum(BADGE_SEVERITIES),
  label: z.string(),
  letter: z.string(),
  /** Findings over distinct scanned images (an image on 3 containers counts once). */
  findings: count.nullable(),
  /** Distinct CVE ids across those images. */
  uniqueCves: count.nullable(),
  /** Containers whose image has at least one such finding. */
  containers: count.nullable(),
  /** found: above zero; clean: zero and every image scanned; unknown: zero or nothing known. */
  tone: z.enum(['found', 'clean', 'unknown']),
});
export type SeverityTotal = z.infer<typeof SeverityTotalSchema>;

/** One Docker host as the snapshot saw it. */
export const HostSchema = z.object({
  name: z.string(),
  /** URL without any password. */
  url: z.string(),
  ok: z.boolean(),
  error: z.string().optional(),
  errorCode: z.enum(HOST_ERROR_CODES).optional(),
  containers: count,
});
export type Host = z.infer<typeof HostSchema>;

/** The summary panel: every figure says what it covers. */
export const SummarySchema = z.object({
  images: StateCountsSchema,
  containers: StateCountsSchema,
  severities: z.array(SeverityTotalSchema),
  /** Scanned images (and the containers running them) whose OS release is out of support. */
  endOfLife: z.object({ images: count, containers: count }),
  /** Findings with a fix, over scanned images; null when none was scanned. */
  fixable: count.nullable(),
  /** Containers by the update state recorded for their image. */
  updates: z.object({
    available: count,
    current: count,
    unknown: count,
    unrecorded: count,
  }),
  hosts: z.array(HostSchema),
  /** Known exploitation and accepted risk (issue: "Show what matters first"). */
  risk: z.object({
    /** Findings and containers with a KEV finding; null without a catalogue or a scan. */
    kevFindings: count.nullable(),
    kevContainers: count.nullable(),
    accepted: count,
    expired: count,
    staleRules: count,
    rejectedDocuments: count,
  }),
});
export type Summary = z.infer<typeof SummarySchema>;
