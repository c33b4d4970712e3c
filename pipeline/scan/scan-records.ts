import { plainBlock } from '../safe-text.ts';
import type { ScanFailure } from './classify.ts';
import type { ScanLedger } from './ledger.ts';
import type { ImageJob } from './plan.ts';
import type { ScanOutcome } from './scan-types.ts';
import type { ScanRecord } from './schema.ts';

/** How one image ended, as recorded: a scan result, or a failure with its reason. */
export type Finished =
  Extract<ScanOutcome, { ok: true }> | { ok: false; error: ScanFailure; durationMs: number };

/** The stored record of a finished image; a failure is not retried before `failedTtlMs`. */
export function finishedRecord(
  job: ImageJob,
  outcome: Finished,
  at: Date,
  options: { trivyVersion?: string | undefined; failedTtlMs: number },
): ScanRecord {
  const base = {
    imageId: job.imageId,
    ref: job.ref,
    host: job.host,
    updatedAt: at.toISOString(),
    durationMs: outcome.durationMs,
    ...(options.trivyVersion && { trivyVersion: options.trivyVersion }),
  };
  if (outcome.ok) {
    return {
      ...base,
      status: 'scanned',
      summary: outcome.summary,
      report: outcome.report,
      ...(outcome.os && { os: outcome.os }),
      scannedAt: at.toISOString(),
    };
  }
  return {
    ...base,
    status: 'failed',
    // Every failure is recorded here, whatever wrote it (Trivy's stderr, a report's keys, a
    // worker): its lines stay, its controls and invisible characters do not (safe-text.ts).
    error: { ...outcome.error, message: plainBlock(outcome.error.message) },
    retryAfter: new Date(at.getTime() + options.failedTtlMs).toISOString(),
  };
}

/**
 * After an interrupted run: every queued image not finished goes back to its record from before
 * the run. A record left pending by an earlier killed run is dropped (nothing stays pending), so
 * the next run queues it again.
 */
export function restoreUnfinished(
  ledger: Pick<ScanLedger, 'putScan' | 'dropScan'>,
  queue: ImageJob[],
  previous: Map<string, ScanRecord | undefined>,
  done: Set<string>,
): number {
  let restored = 0;
  for (const job of queue) {
    if (done.has(job.key)) continue;
    const before = previous.get(job.key);
    if (before && before.status !== 'pending') ledger.putScan(job.key, before);
    else ledger.dropScan(job.key);
    restored += 1;
  }
  return restored;
}
