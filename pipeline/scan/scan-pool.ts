import Tinypool from 'tinypool';
import type { Store } from '../store/db.ts';
import type { ImageJob } from './plan.ts';
import { runningDir } from './orphans.ts';
import { reportsDir } from './reports.ts';
import { killGroup } from './run-process.ts';
import type { ScanConfig, ScanRunSummary } from './run-scan.ts';
import { scanEnv } from './scan-env.ts';
import { estimateRemaining, type ScanProgress } from './scan-progress.ts';
import type { ScanOutcome, ScanTask } from './scan-worker.ts';
import type { ScanRecord } from './schema.ts';

const WRITE_EVERY_MS = 1000;

/** Run the queue through a Tinypool pool of `config.workers` threads, writing results as they come. */
export async function runPool(
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
          runningDir: runningDir(store.dataDir),
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
