import { createHash } from 'node:crypto';
import { cleanLine } from '../safe-text.ts';
import type { Finding } from '../scan/trivy-report.ts';
import { toKeyed } from '../findings/reader.ts';
import { containerDomId, imageSlug } from '../findings/ids.ts';
import { NOTIFY_EVENT_KINDS, severityRank, zeroCounts, type FailureCode } from '../vocabulary.ts';
import type { ContainerRef, FindingItem, NotifyEvent } from './events.ts';
import type { ImageView } from './observe.ts';

/** What one image on one host adds to an event; events group them per image reference. */
export type Contribution =
  | { kind: 'new_findings' | 'fix_available'; image: ImageView; findings: Finding[] }
  | { kind: 'scan_failed'; image: ImageView; code: FailureCode; message: string }
  | { kind: 'scan_recovered'; image: ImageView; notable: number }
  | { kind: 'anchor_update'; image: ImageView };

/** Findings listed per event; `total` counts them all. */
export const MAX_EVENT_FINDINGS = 20;
const MAX_TITLE = 120;
const MAX_ERROR = 300;

/** Group contributions per kind and image reference (every host in one event), with ids. */
export function assembleEvents(contributions: Contribution[], detectedAt: string): NotifyEvent[] {
  const groups = new Map<string, Contribution[]>();
  for (const c of contributions) {
    const id = `${c.kind}\u0000${c.image.ref}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  return [...groups.values()].map((group) => toEvent(group, detectedAt));
}

/** Events in the order of NOTIFY_EVENT_KINDS, then by what they are about. */
export function sortEvents(events: NotifyEvent[]): NotifyEvent[] {
  const rank = (e: NotifyEvent) => NOTIFY_EVENT_KINDS.indexOf(e.kind);
  return [...events].sort((a, b) => rank(a) - rank(b) || subject(a).localeCompare(subject(b)));
}

function toEvent(group: Contribution[], detectedAt: string): NotifyEvent {
  const first = group[0]!;
  const ref = first.image.ref;
  const containers: ContainerRef[] = group
    .flatMap((c) => c.image.containers.map((x) => ({ host: x.host, name: x.name })))
    .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  const page = `images/${imageSlug(first.image.keys[0] ?? `ref:${ref}`)}.html`;
  const common = { id: '', detectedAt, page, ref, containers };
  switch (first.kind) {
    case 'new_findings':
    case 'fix_available': {
      // Counted as every reader counts (one per finding of each distinct image, so an image on
      // two hosts counts once), listed once per identity.
      const counted = findingsOfImages(group);
      const findings = uniqueFindings(counted).slice(0, MAX_EVENT_FINDINGS).map(toItem);
      const counts = zeroCounts();
      for (const f of counted) counts[f.severity] += 1;
      return withId({ ...common, kind: first.kind, total: counted.length, counts, findings });
    }
    case 'scan_failed':
      return withId({
        ...common,
        kind: 'scan_failed',
        code: first.code,
        message: cleanLine(failureSummary(first.message), MAX_ERROR),
      });
    case 'scan_recovered':
      return withId({ ...common, kind: 'scan_recovered', notable: first.notable });
    case 'anchor_update': {
      const anchors = group.flatMap((c) =>
        c.image.containers
          .filter((x) => x.orchestration.role === 'anchor' || x.orchestration.dependents.length)
          .map((x) => ({ host: x.host, name: x.name, dependents: x.orchestration.dependents })),
      );
      const target = group[0]!.image.containers.find((x) => x.name === anchors[0]?.name);
      return withId({
        id: '',
        detectedAt,
        kind: 'anchor_update',
        ref,
        anchors,
        ...(target && { page: `index.html#${containerDomId(target)}` }),
      });
    }
  }
}

// Trivy wraps its reason in layers ("run error: image scan error: scan error: unable to
// initialize …: "); a phone shows the first line, so the layers go and the reason stays.
const WRAPPER =
  /^(?:(?:run error|image scan error|scan error|scan failed|failed analysis|analyze error|pipeline error|init error|unable to initialize [a-z ]+): )+/;

/** The first line of a scan failure without Trivy's wrapping layers. */
export function failureSummary(message: string): string {
  const first = message.split('\n')[0]!.trim();
  return first.replace(WRAPPER, '') || first;
}

/** The findings of a group's contributions, each distinct image (by its keys) once. */
function findingsOfImages(group: Contribution[]): Finding[] {
  const byImage = new Map<string, Finding[]>();
  for (const c of group)
    if ('findings' in c && !byImage.has(c.image.keys.join()))
      byImage.set(c.image.keys.join(), c.findings);
  return [...byImage.values()].flat();
}

/** Most severe first, then those with a fix, then by id; one entry per identity. */
function uniqueFindings(findings: Finding[]): Finding[] {
  const byKey = new Map(findings.map((f) => [toKeyed(f).key, f]));
  return [...byKey.values()].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      Number(Boolean(b.fixed)) - Number(Boolean(a.fixed)) ||
      a.id.localeCompare(b.id) ||
      a.pkg.localeCompare(b.pkg),
  );
}

function toItem(f: Finding): FindingItem {
  const title = f.title ? cleanLine(f.title, MAX_TITLE) : '';
  return {
    id: cleanLine(f.id, 60),
    pkg: cleanLine(f.pkg, 80),
    installed: cleanLine(f.installed, 60),
    severity: f.severity,
    ...(f.fixed && { fixed: cleanLine(f.fixed, 60) }),
    ...(title && { title }),
  };
}

/** What an event is about, for ordering and for `notify --status`. */
export function subject(e: NotifyEvent): string {
  return 'ref' in e ? e.ref : e.host;
}

/** Give an event its id: a hash of what it says, so the same event keeps the same id. */
export function withId<E extends NotifyEvent>(event: E): E {
  const { id: _, ...content } = event;
  const id = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return { ...event, id };
}
