// The words the whole product shares, declared once: severities, scan states, failure and host
// error codes, update states, orchestration roles. Every schema, page and test imports them from
// here (the site model re-exports them), so adding a code is one edit.
import { z } from 'zod';

/** Trivy's severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The severities that get a badge and a summary card (unknown is counted, not badged). */
export const BADGE_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type BadgeSeverity = (typeof BADGE_SEVERITIES)[number];

/** Letter and label of each severity: badges carry the letter so colour is never the only signal. */
export const SEVERITY_WORDS: Record<Severity, { letter: string; label: string }> = {
  critical: { letter: 'C', label: 'Critical' },
  high: { letter: 'H', label: 'High' },
  medium: { letter: 'M', label: 'Medium' },
  low: { letter: 'L', label: 'Low' },
  unknown: { letter: 'U', label: 'Unknown' },
};

/** The rank of a severity: 0 for critical, growing with less severe ones. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** A severity as pages and messages show it: badge letter, label, and rank (0 = most severe). */
export interface SeverityInfo<S extends Severity = Severity> {
  key: S;
  letter: string;
  label: string;
  rank: number;
}

/** The given severities with their words and ranks, in the order given. */
export function describeSeverities<S extends Severity>(keys: readonly S[]): SeverityInfo<S>[] {
  return keys.map((key) => ({ key, ...SEVERITY_WORDS[key], rank: severityRank(key) }));
}

/** A severity read from a scanner (any case); one this vocabulary lacks counts as unknown. */
export function toSeverity(text: string): Severity {
  const word = text.toLowerCase();
  return SEVERITIES.find((s) => s === word) ?? 'unknown';
}

/** A zod object with one key per severity, each checked by `count` (nullable for the export). */
export function severityCountsSchema<T extends z.ZodType>(count: T) {
  return z.object(Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<Severity, T>);
}

/** A fresh tally: every severity at zero. */
export function zeroCounts(): Record<Severity, number> {
  return severityRecord(SEVERITIES, 0);
}

/** A fresh tally of the badge severities only (archive summaries keep those four). */
export function badgeZeroCounts(): Record<BadgeSeverity, number> {
  return severityRecord(BADGE_SEVERITIES, 0);
}

/** A fresh record with `value` under each of `keys`. */
export function severityRecord<S extends Severity, T>(keys: readonly S[], value: T): Record<S, T> {
  return Object.fromEntries(keys.map((s) => [s, value])) as Record<S, T>;
}

/** Notifications by default: every critical finding, and high ones that have a fix. */
export const DEFAULT_NOTIFY_LEVELS = { severity: 'critical', fixable: 'high' } as const;

/** "Fix first" lists a finding of this severity when a fix exists (docs/dashboard.md#fix-first). */
export const FIX_FIRST_SEVERITY: Severity = 'critical';

/** The counts of `keys` only, from a record of all five (e.g. the four badge severities). */
export function severityPick<S extends Severity, T>(keys: readonly S[], all: Record<Severity, T>) {
  return Object.fromEntries(keys.map((s) => [s, all[s]])) as Record<S, T>;
}

/** The scan state of an image as stored (pending only while a scan runs). */
export const STORED_SCAN_STATUSES = ['pending', 'scanned', 'failed', 'skipped'] as const;

/** The scan state of an image as reported: a stored state, or never scanned. */
export const SCAN_STATUSES = ['not_scanned', 'pending', 'scanned', 'failed', 'skipped'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** Why one image's scan failed. */
export const FAILURE_CODES = [
  /** trivy ran past --timeout, or was killed at our deadline. */
  'scan_timeout',
  /** Neither the host's daemon nor the registry could give trivy the image. */
  'image_unavailable',
  /** trivy failed for another reason (its FATAL line says which). */
  'scan_failed',
  /** trivy exited 0 but its output is not a report we can read. */
  'invalid_output',
  /** trivy's output passed DOCKPEEK_TRIVY_MAX_OUTPUT; it was stopped and nothing was kept. */
  'output_too_large',
  /** The vulnerability DB could not be downloaded and none was cached. */
  'db_unavailable',
  /** The image id or reference from the Docker host is malformed; trivy was not run. */
  'image_invalid',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Why a Docker host could not be read. */
export const HOST_ERROR_CODES = [
  'connection_refused',
  'socket_missing',
  'permission_denied',
  'dns_failed',
  'connection_reset',
  /** No (complete) answer within the connect or read deadline. */
  'timeout',
  /** An answer larger than DOCKPEEK_DOCKER_MAX_RESPONSE; reading stopped there. */
  'response_too_large',
  /** An answer that is not the JSON the Docker API documents. */
  'invalid_response',
  /** The API answered with an HTTP error status. */
  'http_error',
  /** TLS: the host's certificate is not signed by the configured CA. */
  'tls_untrusted',
  /** TLS: the host's certificate (or ours) has expired or is not yet valid. */
  'tls_expired',
  /** Another TLS failure (handshake, client certificate refused). */
  'tls_error',
  /** ssh: the host's key is not in known_hosts. */
  'ssh_host_unknown',
  /** ssh: known_hosts holds a different key for this host. */
  'ssh_host_changed',
  /** ssh: the server refused our key or agent. */
  'ssh_auth_failed',
  /** Another ssh failure (the remote `docker system dial-stdio` failed, say). */
  'ssh_error',
  /** Anything else; the message says what. */
  'host_error',
] as const;
export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

/** Whether the registry has a newer image for a reference. */
export const UPDATE_STATUSES = ['update_available', 'up_to_date', 'unknown'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** How a container relates to the others (dockpeek.role, or inferred). */
export const ROLES = ['anchor', 'dependent', 'standalone'] as const;
export type Role = (typeof ROLES)[number];

/** What a dependency on an anchor is. */
export const ANCHOR_TYPES = ['network', 'database', 'service'] as const;
export type AnchorType = (typeof ANCHOR_TYPES)[number];

/** What a notification can tell: each is computed from a change, never from a whole state. */
export const NOTIFY_EVENT_KINDS = [
  /** Findings at or above the threshold that the last notified state did not have. */
  'new_findings',
  /** Findings that had no fix at the last notification and have one now. */
  'fix_available',
  /** An image whose scan failed, where it had not failed before. */
  'scan_failed',
  /** An image whose scan succeeds again after failing. */
  'scan_recovered',
  /** An update for the image of an anchor (a container others depend on). */
  'anchor_update',
  /** A Docker host that answered before and does not now. */
  'host_down',
  /** A Docker host that answers again. */
  'host_up',
] as const;
export type NotifyEventKind = (typeof NOTIFY_EVENT_KINDS)[number];

/** Why one notification could not be delivered. */
export const NOTIFY_FAILURE_CODES = [
  /** No complete answer within DOCKPEEK_NOTIFY_TIMEOUT (the apprise process is killed then). */
  'timeout',
  /** The server could not be reached (refused, DNS, unreachable). */
  'connection_failed',
  /** The connection closed before the answer was complete. */
  'connection_reset',
  /** TLS failed (certificate, handshake). */
  'tls_error',
  /** The server answered with a status other than 2xx. */
  'http_error',
  /** The apprise CLI reported a failure (its exit status and last line say which). */
  'apprise_failed',
  /** The apprise CLI could not be started. */
  'apprise_unavailable',
  /** The destination was removed from DOCKPEEK_NOTIFY_URLS while events were pending for it. */
  'destination_removed',
] as const;
export type NotifyFailureCode = (typeof NOTIFY_FAILURE_CODES)[number];

/** The vulnerability feeds DockPeek keeps under <data>/feeds/. */
export const FEEDS = ['kev', 'epss'] as const;
export type FeedName = (typeof FEEDS)[number];

/** Why a feed could not be refreshed; the previous copy is always kept. */
export const FEED_ERROR_CODES = [
  /** No connection (refused, DNS, reset), or the local file is missing or unreadable. */
  'unreachable',
  /** The server answered with a status other than 200. */
  'http_error',
  /** The download did not finish within DOCKPEEK_FEED_TIMEOUT. */
  'timeout',
  /** The body (or the gunzipped body) passed its size cap; reading stopped there. */
  'too_large',
  /** The gzip stream is truncated or corrupt. */
  'bad_gzip',
  /** The body is not the feed's format: bad JSON, a missing field, a bad CSV header or row. */
  'invalid',
  /** The feed was valid but could not be stored (disk full, permissions). */
  'unwritable',
] as const;
export type FeedErrorCode = (typeof FEED_ERROR_CODES)[number];

/** Why an accepted-risk document (.trivyignore.yaml, OpenVEX) was rejected; none of its rules apply. */
export const VEX_ERROR_CODES = [
  /** The file or folder is missing or unreadable. */
  'unreadable',
  /** The file is larger than DOCKPEEK_VEX_MAX_SIZE. */
  'too_large',
  /** Not a regular file: a FIFO, a device, a socket (never read: it could block or never end). */
  'not_a_file',
  /** Nested too deeply, or too many entries (aliases expanded), for a bounded parse. */
  'too_complex',
  /** Not UTF-8, or not valid YAML/JSON (the message names the line). */
  'syntax_error',
  /** A field is missing or of the wrong type (the message names the field and line). */
  'invalid',
  /** An OpenVEX status other than not_affected, fixed, affected, under_investigation. */
  'unknown_status',
  /** An expired_at or timestamp that is not a date. */
  'bad_date',
  /** A file that is neither .yaml/.yml (trivyignore) nor .json (OpenVEX). */
  'unknown_format',
] as const;
export type VexErrorCode = (typeof VEX_ERROR_CODES)[number];
