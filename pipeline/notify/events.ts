import { z } from 'zod';
import { ScanSummarySchema } from '../scan/trivy-report.ts';
import { FAILURE_CODES, HOST_ERROR_CODES, SEVERITIES } from '../vocabulary.ts';

// The events a notification carries, declared once: they are kept in notify-state.json while
// pending and sent as they are in the JSON webhook body (docs/notifications.md shows the schema
// generated from these, so every field has a description).

/** One finding as a notification lists it: identity, severity, fix; text already cleaned. */
export const FindingItemSchema = z.object({
  id: z.string().describe('CVE or other advisory id'),
  pkg: z.string().describe('the package it is in'),
  installed: z.string().describe('the installed version'),
  severity: z.enum(SEVERITIES).describe("Trivy's severity"),
  fixed: z.string().optional().describe('the version(s) that fix it; absent when none does'),
  title: z.string().optional().describe("Trivy's title, control characters removed, capped"),
});
export type FindingItem = z.infer<typeof FindingItemSchema>;

/** A container an event concerns. */
export const ContainerRefSchema = z.object({
  host: z.string().describe('the Docker host name'),
  name: z.string().describe('the container name'),
});
export type ContainerRef = z.infer<typeof ContainerRefSchema>;

const base = {
  id: z.string().describe('stable id of this event: the same event is never sent with another'),
  detectedAt: z.string().describe('when the change was seen (ISO 8601)'),
  page: z
    .string()
    .optional()
    .describe('the dashboard page about it, relative to DOCKPEEK_PUBLIC_URL'),
};
const image = {
  ...base,
  ref: z.string().describe('the image reference the containers run'),
  containers: z.array(ContainerRefSchema).describe('the containers that run it, on every host'),
};
const findings = {
  total: z.number().int().describe('how many findings this event is about'),
  counts: ScanSummarySchema.shape.counts.describe('how many of them per severity'),
  findings: z
    .array(FindingItemSchema)
    .describe('the most severe of them, at most 20 (total says how many there are)'),
};

/** One change worth a message. */
export const NotifyEventSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('new_findings'), ...image, ...findings })
    .describe('findings at or above the threshold that the last notified state did not have'),
  z
    .object({ kind: z.literal('fix_available'), ...image, ...findings })
    .describe('findings without a fix at the last notification that have one now'),
  z
    .object({
      kind: z.literal('scan_failed'),
      ...image,
      code: z.enum(FAILURE_CODES).describe('why the scan failed'),
      message: z.string().describe("the scanner's reason, cleaned and capped"),
    })
    .describe('an image whose scan has newly failed: its findings are unknown'),
  z
    .object({
      kind: z.literal('scan_recovered'),
      ...image,
      notable: z.number().int().describe('findings at or above the threshold now'),
    })
    .describe('an image whose scan succeeds again'),
  z
    .object({
      kind: z.literal('anchor_update'),
      ...base,
      ref: z.string().describe('the image reference with a newer image in its registry'),
      anchors: z
        .array(
          z.object({
            host: z.string(),
            name: z.string().describe('the anchor container'),
            dependents: z.array(z.string()).describe('containers that depend on it (same host)'),
          }),
        )
        .describe('the anchors that run it'),
    })
    .describe('an update is available for the image of an anchor'),
  z
    .object({
      kind: z.literal('host_down'),
      ...base,
      host: z.string(),
      code: z.enum(HOST_ERROR_CODES).optional().describe('why it could not be read'),
      error: z.string().describe('the error, in words'),
    })
    .describe('a Docker host that answered at the last notification and does not now'),
  z
    .object({
      kind: z.literal('host_up'),
      ...base,
      host: z.string(),
      containers: z.number().int().describe('containers read from it now'),
    })
    .describe('a Docker host that answers again'),
]);
export type NotifyEvent = z.infer<typeof NotifyEventSchema>;
export type EventOf<K extends NotifyEvent['kind']> = Extract<NotifyEvent, { kind: K }>;
