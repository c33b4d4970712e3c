import type { Finding } from '../scan/trivy-report.ts';
import { DEFAULT_NOTIFY_LEVELS, severityRank } from '../vocabulary.ts';
import type { Threshold } from './state-schema.ts';

/** The default: every critical finding, and high ones that have a fix. */
export const DEFAULT_THRESHOLD: Threshold = { ...DEFAULT_NOTIFY_LEVELS };

const atLeast = (f: Finding, severity: Threshold['severity']) =>
  severityRank(f.severity) <= severityRank(severity);

/** Whether a finding is worth a message under the threshold. */
export function isNotable(f: Finding, t: Threshold): boolean {
  return (
    atLeast(f, t.severity) || (Boolean(f.fixed) && t.fixable !== null && atLeast(f, t.fixable))
  );
}

/**
 * Whether a finding is followed at all: notable, or one that would be notable once it has a fix
 * (its getting a fix is then an event).
 */
export function isTracked(f: Finding, t: Threshold): boolean {
  return atLeast(f, t.severity) || (t.fixable !== null && atLeast(f, t.fixable));
}

/** Whether two thresholds select the same findings. */
export function sameThreshold(a: Threshold, b: Threshold): boolean {
  return a.severity === b.severity && a.fixable === b.fixable;
}
