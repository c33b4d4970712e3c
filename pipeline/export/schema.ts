import { z } from 'zod';
import { OrchestrationSchema } from '../snapshot/schema.ts';
import { SCAN_STATUSES, severityCountsSchema } from '../vocabulary.ts';

const count = z.number().int().nonnegative().nullable();

/**
 * Security state of a container's image. Numbers are null unless status is "scanned". `counts`,
 * `findings`, `uniqueCves` and `fixable` are judged (after accepted risk, as the dashboard shows
 * them); `raw` holds the scanner's own numbers.
 */
export const ExportSecuritySchema = z.object({
  status: z.enum(SCAN_STATUSES),
  counts: severityCountsSchema(count),
  /** Vulnerability findings (one CVE in two packages counts twice). */
  findings: count,
  uniqueCves: count,
  /** Findings with a fixed version. */
  fixable: count,
  /** Findings left out of the counts above by an accepted-risk rule (DOCKPEEK_VEX). */
  accepted: count,
  /** The scanner's view: the same numbers before any accepted-risk rule. */
  raw: z.object({
    counts: severityCountsSchema(count),
    findings: count,
    uniqueCves: count,
    fixable: count,
  }),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  retryAfter: z.string().optional(),
  scannedAt: z.string().optional(),
});

/** One container in `dockpeek-security export` (a public contract: docs/export.md). */
export const ExportContainerSchema = z.object({
  host: z.string(),
  name: z.string(),
  id: z.string(),
  image: z.string(),
  imageId: z.string(),
  state: z.string(),
  health: z.string().optional(),
  stack: z.string().nullable(),
  orchestration: OrchestrationSchema,
  security: ExportSecuritySchema,
  update: z.object({ status: z.string(), reason: z.string().optional() }).optional(),
});

/** The whole export document. */
export const ExportSchema = z.object({
  generatedAt: z.string(),
  snapshotAt: z.string(),
  hosts: z.array(
    z.object({ name: z.string(), url: z.string(), ok: z.boolean(), error: z.string().optional() }),
  ),
  containers: z.array(ExportContainerSchema),
});
export type Export = z.infer<typeof ExportSchema>;
export type ExportContainer = z.infer<typeof ExportContainerSchema>;
