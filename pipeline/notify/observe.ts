import { ownValue } from '../data-keys.ts';
import { imageKey, type ScanRecord } from '../scan/schema.ts';
import type { Finding } from '../scan/trivy-report.ts';
import { vexImages } from '../findings/judge.ts';
import type { FindingsReader } from '../findings/reader.ts';
import type { Container } from '../snapshot/schema.ts';
import type { Db } from '../store/schema.ts';
import type { VexImage } from '../vex/match-image.ts';
import type { FailureCode, HostErrorCode } from '../vocabulary.ts';
import type { Threshold } from './state-schema.ts';
import { isTracked } from './threshold.ts';

/** What one image reference on one host is now. */
export interface ImageView {
  host: string;
  ref: string;
  containers: Container[];
  /** The image keys (ids) those containers run, sorted. */
  keys: string[];
  scan:
    | { state: 'scanned'; tracked: Finding[] }
    | { state: 'failed'; code: FailureCode; message: string }
    | { state: 'unknown' };
  update: { state: 'available'; digest: string } | { state: 'none' } | { state: 'unknown' };
}

/**
 * Whether an accepted-risk rule accepts a finding now: accepted findings are not worth a message,
 * and one whose acceptance expires is then new, so it is announced.
 */
export type Accepted = (image: VexImage, f: Finding) => boolean;

/** What one host is now. */
export interface HostView {
  name: string;
  up: boolean;
  error?: string;
  code?: HostErrorCode;
  containers: number;
}

/** The store as notifications see it: hosts, and images per host and reference. */
export interface View {
  hosts: HostView[];
  images: ImageView[];
}

/**
 * Read the current state from db.json and the findings files: only tracked findings are kept.
 * An image whose findings file is missing or damaged is unknown, never clean.
 */
export async function observe(
  db: Db,
  reader: FindingsReader,
  threshold: Threshold,
  accepted: Accepted = () => false,
): Promise<View> {
  const snapshot = db.snapshot;
  if (!snapshot) return { hosts: [], images: [] };
  const skipped = new Set(snapshot.containers.filter((c) => c.scanSkip).map(imageKey));
  // Rules see an image as every reader does (findings/judge.ts): by its scanned reference.
  const judgedImages = vexImages(snapshot, db.scans);
  const groups = new Map<string, Container[]>();
  for (const c of snapshot.containers) {
    const id = `${c.host}\u0000${c.image}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  }
  const images: ImageView[] = [];
  for (const containers of groups.values()) {
    const first = containers[0]!;
    const keys = [...new Set(containers.map(imageKey))].sort();
    const records = keys.map((k) => (skipped.has(k) ? undefined : ownValue(db.scans, k)));
    images.push({
      host: first.host,
      ref: first.image,
      containers,
      keys,
      scan: await scanState(records, reader, threshold, (f) =>
        accepted(judgedImages.get(keys[0]!)!, f),
      ),
      update: updateState(db, first.image),
    });
  }
  const hosts = snapshot.hosts.map((h) => ({
    name: h.name,
    up: h.ok,
    ...(h.error && { error: h.error }),
    ...(h.errorCode && { code: h.errorCode }),
    containers: snapshot.containers.filter((c) => c.host === h.name).length,
  }));
  return { hosts, images };
}

async function scanState(
  records: Array<ScanRecord | undefined>,
  reader: FindingsReader,
  threshold: Threshold,
  accepted: (f: Finding) => boolean,
): Promise<ImageView['scan']> {
  const failed = records.find((r) => r?.status === 'failed');
  if (failed)
    return {
      state: 'failed',
      code: failed.error?.code ?? 'scan_failed',
      message: failed.error?.message || 'no reason was recorded',
    };
  const tracked: Finding[] = [];
  for (const record of records) {
    if (record?.status !== 'scanned' || !record.report) return { state: 'unknown' };
    // Streamed: only the findings worth a message are kept, never a whole report.
    try {
      for await (const f of reader.stream(record.report))
        if (isTracked(f, threshold) && !accepted(f)) tracked.push(f);
    } catch {
      return { state: 'unknown' };
    }
  }
  return { state: 'scanned', tracked };
}

function updateState(db: Db, ref: string): ImageView['update'] {
  const record = ownValue(db.updates, ref);
  if (!record || record.status === 'unknown') return { state: 'unknown' };
  if (record.status === 'up_to_date') return { state: 'none' };
  // A record without the registry's digest still says "available": one event until it changes.
  return { state: 'available', digest: record.remoteDigest ?? 'available' };
}
