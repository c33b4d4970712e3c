import { FIX_FIRST_SEVERITY } from '../../vocabulary.ts';
import type { ImageDigest } from './image-digest.ts';
import type { ContainerRow } from './schema/containers.ts';
import type { FixFirst } from './schema/risk.ts';
import type { Security } from './schema/security.ts';

// "Needs attention" (docs/dashboard.md#needs-attention): which containers to look at tonight.
// Rows sort by tier, highest first, then by the severity weight, then in snapshot order.

/** The tiers, highest first: why a row is where it is. */
export const ATTENTION_TIERS = {
  /** Its image has a finding in CISA's KEV catalogue (exploited in the wild). */
  kev: 5,
  /** It is among the containers of the home page's "Fix first" list. */
  fixFirst: 4,
  /** A critical finding with a fixed version: an update fixes it. */
  criticalFix: 3,
  /** The scan failed, is pending, or never ran: unknown is not safe. */
  unknown: 2,
  /** Everything else: scanned (worst first by the severity weight), or skipped by label. */
  rest: 1,
} as const;

/** The tier a row has from its scan state alone (history pages know no feeds). */
export function baseAttention(security: Security): number {
  if (security.state === 'failed' || security.state === 'pending') return ATTENTION_TIERS.unknown;
  if (security.state === 'not_scanned') return ATTENTION_TIERS.unknown;
  return ATTENTION_TIERS.rest;
}

/** Whether an image's counted findings hold a critical one with a fix (the digest keeps those first). */
export function hasCriticalFix(digest: ImageDigest | undefined): boolean {
  return Boolean(digest?.top.some((f) => f.severity === FIX_FIRST_SEVERITY && f.fixed));
}

/** The row's tier for the current snapshot, from its KEV mark, Fix first and its findings. */
export function attentionOf(
  row: ContainerRow,
  onFixFirst: ReadonlySet<string>,
  criticalFix: boolean,
): number {
  if (row.kev) return ATTENTION_TIERS.kev;
  if (onFixFirst.has(row.domId)) return ATTENTION_TIERS.fixFirst;
  if (criticalFix) return ATTENTION_TIERS.criticalFix;
  return row.attention;
}

/** The containers the home page's Fix first list names, by element id. */
export function fixFirstContainers(fixFirst: FixFirst): Set<string> {
  return new Set(fixFirst.items.flatMap((item) => item.containers.map((c) => c.domId)));
}
