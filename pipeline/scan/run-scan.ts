import type { HostConfig } from '../docker/hosts.ts';
import { DockpeekError } from '../errors.ts';
import type { Store } from '../store/db.ts';
import type { ScanFailure } from './classify.ts';
import { killOrphans, runningDir } from './orphans.ts';
import { planScan, type ImageJob } from './plan.ts';
import { prepareTrivy, type TrivyConfig } from './prepare-trivy.ts';
import type { ScanOutcome } from './scan-worker.ts';
import { runPool } from './scan-pool.ts';
import type { ScanProgress } from './scan-progress.ts';
import type { ScanRecord } from './schema.ts';
import { describeJob } from './scan-env.ts';

export interface ScanConfig extends TrivyConfig {
  workers: number;
  failedTtlMs: number;
  resultTtlMs: number;
  maxOutputBytes: number;
  force: boolean;
  hosts: HostConfig[];
}

export interface ScanRunSummary {
  queued: number;
  scanned: number;
  failed: number;
  reused: number;
  skipped: number;
  /** Images whose current state is failed, this run or cached. */
  failingImages: number;
  trivyVersion?: string;
  strategy?: string;
  notes: string[];
}

/** Scan every distinct image of the current snapshot that needs it, in a Tinypool worker pool. */
export async function runScan(
  store: Store,
  config: ScanConfig,
  progress: ScanProgress,
): Promise<ScanRunSummary> {
  const db = store.db;
  const snapshot = db.data.snapshot;
  if (!snapshot) {
    throw new DockpeekError(
      'no_snapshot',
      `there is no snapshot in ${store.file} yet`,
      'Run `dockpeek-security snapshot` first.',
    );
  }
  // This run holds the lock: any trivy still recorded as running belongs to a run that was killed.
  const orphans = killOrphans(runningDir(store.dataDir));
  const now = new Date();
  const plan = planScan(snapshot, db.data.scans, {
    now,
    resultTtlMs: config.resultTtlMs,
    force: config.force,
  });
  for (const key of plan.stale) delete db.data.scans[key];
  for (const job of plan.skipped)
    db.data.scans[job.key] = {
      status: 'skipped',
      imageId: job.imageId,
      ref: job.ref,
      host: job.host,
      updatedAt: now.toISOString(),
    };
  const summary: ScanRunSummary = {
    queued: plan.queue.length,
    scanned: 0,
    failed: 0,
    reused: plan.reused,
    skipped: plan.skipped.length,
    failingImages: 0,
    notes: orphans.length
      ? [
          `killed ${orphans.length} trivy process group(s) left running by a scan that was killed (pid ${orphans.join(', ')})`,
        ]
      : [],
  };
  if (plan.queue.length === 0) {
    await db.write();
    return finish(summary, db.data.scans);
  }

  const setup = await prepareTrivy(config);
  summary.trivyVersion = setup.version;
  summary.strategy = setup.strategy.kind;
  summary.notes.push(...setup.notes);
  const previous = new Map(plan.queue.map((job) => [job.key, db.data.scans[job.key]]));
  for (const job of plan.queue) {
    db.data.scans[job.key] = {
      ...previous.get(job.key),
      status: 'pending',
      imageId: job.imageId,
      ref: job.ref,
      host: job.host,
      updatedAt: now.toISOString(),
    };
  }
  await db.write();

  const record = (
    job: ImageJob,
    outcome: ScanOutcome | { ok: false; error: ScanFailure; durationMs: number },
  ) => {
    const at = new Date();
    const base = {
      imageId: job.imageId,
      ref: job.ref,
      host: job.host,
      updatedAt: at.toISOString(),
      durationMs: outcome.durationMs,
      ...(setup.version && { trivyVersion: setup.version }),
    };
    db.data.scans[job.key] = outcome.ok
      ? {
          ...base,
          status: 'scanned',
          summary: outcome.summary,
          report: outcome.report,
          scannedAt: at.toISOString(),
        }
      : {
          ...base,
          status: 'failed',
          error: outcome.error,
          retryAfter: new Date(at.getTime() + config.failedTtlMs).toISOString(),
        };
    if (outcome.ok) summary.scanned += 1;
    else summary.failed += 1;
    progress.line(describeJob(job, db.data.scans[job.key]!));
  };

  if (setup.dbFailure) {
    for (const job of plan.queue) record(job, { ok: false, error: setup.dbFailure, durationMs: 0 });
    await db.write();
    return finish(summary, db.data.scans);
  }

  await runPool(plan.queue, config, setup.strategy, store, progress, summary, record, previous);
  return finish(summary, db.data.scans);
}

/** Count what is failing now, cached failures included; nothing may stay pending. */
function finish(summary: ScanRunSummary, scans: Record<string, ScanRecord>): ScanRunSummary {
  for (const record of Object.values(scans)) {
    if (record.status === 'pending') throw new Error(`internal error: ${record.ref} left pending`);
    if (record.status === 'failed') summary.failingImages += 1;
  }
  return summary;
}
