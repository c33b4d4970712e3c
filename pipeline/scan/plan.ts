import { ownValue } from '../data-keys.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { imageIdProblem, imageRefProblem } from './image-identity.ts';
import { imageKey, type ScanRecord } from './schema.ts';

/** One distinct image to scan, with where to scan it from. */
export interface ImageJob {
  key: string;
  imageId: string;
  ref: string;
  /** Host whose daemon holds the image (trivy gets its DOCKER_HOST). */
  host: string;
  /** That host's URL as the snapshot recorded it. */
  hostUrl?: string;
  containers: number;
  /** Set when the id or reference is malformed: recorded image_invalid, trivy never runs. */
  invalid?: string;
}

export interface ScanPlan {
  queue: ImageJob[];
  /** Images kept as they are: fresh results, failures still inside their retry TTL. */
  reused: number;
  /** Records for images no container uses any more, to drop. */
  stale: string[];
  /** Images that only run in containers labelled dockpeek.security.skip. */
  skipped: ImageJob[];
  /** Images whose id or reference is malformed (queued ones are not among them). */
  invalid: ImageJob[];
}

export interface PlanOptions {
  now: Date;
  resultTtlMs: number;
  /** Rescan everything, whatever the caches say. */
  force: boolean;
}

/**
 * Decide what this run scans. The unit is the image (by id), shared across containers and hosts;
 * a scanned result is reused until its TTL or a new image id; a failure is not retried before
 * its retryAfter; anything left pending by a killed run is scanned again.
 */
export function planScan(
  snapshot: Snapshot,
  records: Record<string, ScanRecord>,
  options: PlanOptions,
): ScanPlan {
  const okHosts = new Set(snapshot.hosts.filter((h) => h.ok).map((h) => h.name));
  const urls = new Map(snapshot.hosts.map((h) => [h.name, h.url]));
  const groups = new Map<string, Snapshot['containers']>();
  for (const c of snapshot.containers)
    groups.set(imageKey(c), [...(groups.get(imageKey(c)) ?? []), c]);

  const plan: ScanPlan = { queue: [], reused: 0, stale: [], skipped: [], invalid: [] };
  for (const [key, containers] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    // Prefer a tagged reference (sha256:… names no repository) on a host that answered.
    const best = [...containers].sort(
      (a, b) =>
        Number(okHosts.has(b.host)) - Number(okHosts.has(a.host)) ||
        Number(!b.image.startsWith('sha256:')) - Number(!a.image.startsWith('sha256:')) ||
        a.host.localeCompare(b.host) ||
        a.name.localeCompare(b.name),
    )[0]!;
    const job: ImageJob = {
      key,
      imageId: best.imageId,
      ref: best.image || best.imageId,
      host: best.host,
      hostUrl: urls.get(best.host),
      containers: containers.length,
    };
    if (containers.some((c) => c.scanSkip)) {
      plan.skipped.push(job);
      continue;
    }
    const invalid = imageIdProblem(job.imageId) ?? imageRefProblem(job.ref);
    if (invalid) {
      plan.invalid.push({ ...job, invalid });
      continue;
    }
    if (!options.force && isFresh(ownValue(records, key), options)) plan.reused += 1;
    else plan.queue.push(job);
  }
  plan.stale = Object.keys(records).filter((key) => !groups.has(key));
  // Longest first (by the last run's duration; unknown counts as long): the pool finishes sooner.
  const expected = (job: ImageJob) =>
    ownValue(records, job.key)?.durationMs ?? Number.MAX_SAFE_INTEGER;
  plan.queue.sort((a, b) => expected(b) - expected(a) || a.key.localeCompare(b.key));
  return plan;
}

function isFresh(record: ScanRecord | undefined, { now, resultTtlMs }: PlanOptions): boolean {
  if (!record) return false;
  if (record.status === 'scanned')
    return Date.parse(record.scannedAt ?? record.updatedAt) + resultTtlMs > now.getTime();
  if (record.status === 'failed')
    return record.retryAfter !== undefined && Date.parse(record.retryAfter) > now.getTime();
  return false;
}
