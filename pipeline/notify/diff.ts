import { createDataRecord, ownValue } from '../data-keys.ts';
import type { Finding } from '../scan/trivy-report.ts';
import { toKeyed } from '../findings/reader.ts';
import type { NotifyEvent } from './events.ts';
import { assembleEvents, sortEvents, withId, type Contribution } from './assemble-events.ts';
import type { ImageView, View } from './observe.ts';
import type { ImageObservation, Observation, Threshold } from './state-schema.ts';
import { isNotable } from './threshold.ts';

/** The threshold and clock of one comparison. */
export interface DiffOptions {
  threshold: Threshold;
  /** False when the threshold changed since the last notification: findings are re-baselined. */
  compareFindings: boolean;
  now: Date;
}

/**
 * The events between the last notified state and now, and the state to keep for next time. A
 * host that is down (or never seen) contributes no container events and keeps its last entries;
 * an image that is failed or unscanned now produces no finding events, and findings are only
 * compared with findings that were known (a last successful scan, or an image new since then).
 * `prev` null is the first run: everything is a baseline.
 */
export function diffObservation(
  prev: Observation | null,
  view: View,
  options: DiffOptions,
): { events: NotifyEvent[]; next: Observation } {
  const next: Observation = { hosts: createDataRecord(), images: createDataRecord() };
  const contributions: Contribution[] = [];
  const hostEvents: NotifyEvent[] = [];
  const at = options.now.toISOString();
  for (const host of view.hosts) {
    const before = ownValue(prev?.hosts, host.name);
    next.hosts[host.name] = { up: host.up };
    if (before?.up && !host.up)
      hostEvents.push({
        kind: 'host_down',
        id: '',
        detectedAt: at,
        host: host.name,
        error: host.error ?? 'no reason was recorded',
        ...(host.code && { code: host.code }),
      });
    if (before && !before.up && host.up)
      hostEvents.push({
        kind: 'host_up',
        id: '',
        detectedAt: at,
        host: host.name,
        containers: host.containers,
      });
    const known = ownValue(prev?.images, host.name);
    if (!host.up) {
      // Down: nothing is known now, so the last entries stand until it answers again.
      if (known) next.images[host.name] = known;
      continue;
    }
    const entries = createDataRecord<ImageObservation>();
    next.images[host.name] = entries;
    for (const image of view.images.filter((i) => i.host === host.name)) {
      // A host read for the first time is a baseline; on a watched host a new image had nothing.
      const last = known
        ? (ownValue(known, image.ref) ?? { scan: 'unknown', notable: [], unfixed: [] })
        : null;
      const { entry, found } = compareImage(last, image, options);
      entries[image.ref] = entry;
      if (last) contributions.push(...found);
    }
  }
  const events = [...hostEvents.map(withId), ...assembleEvents(contributions, at)];
  return { events: sortEvents(events), next };
}

/** One image on a watched host: its new entry, and what changed since `last`. */
function compareImage(
  last: ImageObservation | null,
  image: ImageView,
  options: DiffOptions,
): { entry: ImageObservation; found: Contribution[] } {
  const found: Contribution[] = [];
  const scan = image.scan;
  const entry: ImageObservation = { scan: scan.state };
  if (scan.state === 'failed' && last?.scan !== 'failed')
    found.push({ kind: 'scan_failed', image, code: scan.code, message: scan.message });
  if (scan.state === 'scanned') {
    const notable = scan.tracked.filter((f) => isNotable(f, options.threshold));
    const key = (f: Finding) => toKeyed(f).key;
    entry.notable = [...new Set(notable.map(key))].sort();
    entry.unfixed = [...new Set(scan.tracked.filter((f) => !f.fixed).map(key))].sort();
    if (last?.scan === 'failed')
      found.push({ kind: 'scan_recovered', image, notable: entry.notable.length });
    if (options.compareFindings && last?.notable && last.unfixed) {
      const had = new Set([...last.notable, ...last.unfixed]);
      const unfixed = new Set(last.unfixed);
      const added = notable.filter((f) => !had.has(key(f)));
      const fixed = notable.filter((f) => f.fixed && unfixed.has(key(f)));
      if (added.length) found.push({ kind: 'new_findings', image, findings: added });
      if (fixed.length) found.push({ kind: 'fix_available', image, findings: fixed });
    }
  } else if (last?.notable && last.unfixed) {
    // Failed or unscanned now: keep what the last known scan said, for when it comes back.
    entry.notable = last.notable;
    entry.unfixed = last.unfixed;
  }
  const update = image.update;
  if (update.state === 'available') {
    entry.update = update.digest;
    const anchor = image.containers.some(
      (c) => c.orchestration.role === 'anchor' || c.orchestration.dependents.length > 0,
    );
    if (anchor && last?.update !== update.digest) found.push({ kind: 'anchor_update', image });
  } else if (update.state === 'unknown' && last?.update) entry.update = last.update;
  return { entry, found };
}
