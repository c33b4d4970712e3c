import Tinypool from 'tinypool';
import type { HostConfig } from '../docker/hosts.ts';
import { DockpeekError } from '../errors.ts';
import type { Store } from '../store/db.ts';
import type { ScanFailure } from './classify.ts';
import { planScan, type ImageJob } from './plan.ts';
import { prepareTrivy, type TrivyConfig } from './prepare-trivy.ts';
import { reportsDir } from './reports.ts';
import { killGroup } from './run-process.ts';
import type { ScanOutcome, ScanTask } from './scan-worker.ts';
import { estimateRemaining, type ScanProgress } from './scan-progress.ts';
import type { ScanRecord } from './schema.ts';
import { describeJob, scanEnv } from './scan-env.ts';

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

const WRITE_EVERY_MS = 1000;

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
    notes: [],
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

async function runPool(
  queue: ImageJob[],
  config: ScanConfig,
  strategy: ScanTask['strategy'],
  store: Store,
  progress: ScanProgress,
  summary: ScanRunSummary,
  record: (job: ImageJob, outcome: ScanOutcome) => void,
  previous: Map<string, ScanRecord | undefined>,
): Promise<void> {
  const workers = Math.min(config.workers, queue.length);
  const pool = new Tinypool({
    filename: new URL('./scan-worker.ts', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
  const pids = new Int32Array(new SharedArrayBuffer(4 * workers));
  const slots = createSlots(workers);
  const durations: number[] = [];
  const done = new Set<string>();
  let lastWrite = Date.now();

  // Ctrl-C / SIGTERM: kill every running trivy group, put unfinished images back as they were.
  const interrupt = async (signal: NodeJS.Signals) => {
    for (const pid of pids) killGroup(pid);
    for (const job of queue) {
      if (done.has(job.key)) continue;
      const before = previous.get(job.key);
      if (before) store.db.data.scans[job.key] = before;
      else delete store.db.data.scans[job.key];
    }
    await store.db.write();
    progress.finish();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const report = () =>
    progress.update({
      done: done.size,
      total: queue.length,
      running: Math.min(workers, queue.length - done.size),
      failed: summary.failed,
      etaMs: estimateRemaining(durations, queue.length - done.size, workers),
    });
  report();
  try {
    await Promise.all(
      queue.map(async (job) => {
        const slot = await slots.take();
        const task: ScanTask = {
          key: job.key,
          ref: job.ref,
          bin: config.bin,
          env: scanEnv(config.env, config.hosts, job),
          strategy,
          timeoutMs: config.timeoutMs,
          maxOutputBytes: config.maxOutputBytes,
          reportsDir: reportsDir(store.dataDir),
          pids,
          slot,
        };
        const outcome = await pool.run(task).catch((error: unknown): ScanOutcome => ({
          key: job.key,
          ok: false,
          error: { code: 'scan_failed', message: `scan worker failed: ${String(error)}` },
          durationMs: 0,
        }));
        slots.release(slot);
        done.add(job.key);
        durations.push(outcome.durationMs);
        record(job, outcome);
        report();
        if (Date.now() - lastWrite >= WRITE_EVERY_MS) {
          lastWrite = Date.now();
          await store.db.write();
        }
      }),
    );
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    progress.finish();
    await pool.destroy();
    await store.db.write();
  }
}

/** Pid slots, one per worker: a task takes one while its trivy runs, which paces tasks to the pool. */
function createSlots(count: number) {
  const free = Array.from({ length: count }, (_, i) => i);
  const waiting: Array<(slot: number) => void> = [];
  return {
    take: (): Promise<number> => {
      const slot = free.shift();
      return slot !== undefined
        ? Promise.resolve(slot)
        : new Promise((resolve) => waiting.push(resolve));
    },
    release: (slot: number): void => {
      const next = waiting.shift();
      if (next) next(slot);
      else free.push(slot);
    },
  };
}

/** Count what is failing now, cached failures included; nothing may stay pending. */
function finish(summary: ScanRunSummary, scans: Record<string, ScanRecord>): ScanRunSummary {
  for (const record of Object.values(scans)) {
    if (record.status === 'pending') throw new Error(`internal error: ${record.ref} left pending`);
    if (record.status === 'failed') summary.failingImages += 1;
  }
  return summary;
}
