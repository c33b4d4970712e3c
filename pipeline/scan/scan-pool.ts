import Tinypool from 'tinypool';
import { JAVA_DB_MISSING, type JavaDb } from './java-db.ts';
import type { ScanLedger } from './ledger.ts';
import type { ImageJob } from './plan.ts';
import { runningDir } from './orphans.ts';
import type { Lease, ScanBackend } from './scan-backend.ts';
import { reportsDir } from './reports.ts';
import { killGroup } from './run-process.ts';
import { scanEnv } from './scan-env.ts';
import { estimateRemaining, type ScanProgress } from './scan-progress.ts';
import type { Finished } from './scan-records.ts';
import type { ScanConfig, ScanOutcome, ScanRunSummary, ScanTask } from './scan-types.ts';
import type { TrivyRuntime } from './prepare-trivy.ts';

const WRITE_EVERY_MS = 1000;
/** One try on the private server, one on its restart, one on the fallback. */
const ATTEMPTS = 3;

export interface PoolOptions {
  queue: ImageJob[];
  config: ScanConfig;
  /** The run's trivy environment and working directory (trivy-env.ts). */
  runtime: TrivyRuntime;
  /** Downloaded once, when the first scan meets a jar without it. */
  javaDb: JavaDb;
  /** DOCKER_HOST for the ssh:// hosts, which trivy reaches through a local socket. */
  localHosts: ReadonlyMap<string, string>;
  /** What each scan runs against (a private server may be replaced during the run). */
  backend: ScanBackend;
  /** Where results are saved as they come. */
  ledger: ScanLedger;
  progress: ScanProgress;
  summary: ScanRunSummary;
  /** Called for each image that finished (not for those a stop cut short). */
  record: (job: ImageJob, outcome: Finished) => void;
  /** Aborting kills every running trivy group; unstarted images are not started. */
  signal: AbortSignal;
}

/**
 * Run the queue through a Tinypool pool of `config.workers` threads, writing results as they
 * come. Returns the keys of the images that finished; on abort the others are the caller's to
 * put back.
 */
export async function runPool(options: PoolOptions): Promise<Set<string>> {
  const { queue, config, ledger, progress, summary, signal } = options;
  const workers = Math.min(config.workers, queue.length);
  const pool = new Tinypool({
    filename: new URL('./scan-worker.ts', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
  });
  const pids = new Int32Array(new SharedArrayBuffer(4 * workers));
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const slots = createSlots(workers);
  const durations: number[] = [];
  const done = new Set<string>();
  let finished = 0;
  let lastWrite = Date.now();

  // Workers see the flag; groups already running are killed here, at once.
  const abort = () => {
    Atomics.store(stop, 0, 1);
    for (const pid of pids) killGroup(pid);
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });

  const report = () =>
    progress.update({
      done: finished,
      total: queue.length,
      running: Math.min(workers, queue.length - finished),
      failed: summary.failed,
      etaMs: estimateRemaining(durations, queue.length - finished, workers),
    });
  report();
  const taskFor = (job: ImageJob, slot: number, lease: Lease): ScanTask => ({
    key: job.key,
    ref: job.ref,
    bin: config.bin,
    env: scanEnv(options.runtime.env, config.hosts, job, lease.token, options.localHosts),
    cwd: options.runtime.cwd,
    strategy: lease.strategy,
    timeoutMs: config.timeoutMs,
    maxOutputBytes: config.maxOutputBytes,
    reportsDir: reportsDir(ledger.dataDir),
    runningDir: runningDir(ledger.dataDir),
    pids,
    slot,
    stop,
  });
  const scanOne = async (job: ImageJob) => {
    const slot = await slots.take();
    let outcome: ScanOutcome | undefined;
    // An image whose scan failed because the private server went away is scanned again on what
    // replaced it; a stop between two tries leaves it unfinished (put back by the caller).
    for (let attempt = 1; attempt <= ATTEMPTS && !Atomics.load(stop, 0); attempt++) {
      const lease = await options.backend.lease();
      if (Atomics.load(stop, 0)) break;
      const result: ScanOutcome = await pool
        .run(taskFor(job, slot, lease))
        .catch((error: unknown): ScanOutcome => ({
          key: job.key,
          ok: false,
          error: { code: 'scan_failed', message: `scan worker failed: ${String(error)}` },
          durationMs: 0,
        }));
      if (result.ok || 'stopped' in result || attempt === ATTEMPTS) outcome = result;
      else if (result.error.message.includes(JAVA_DB_MISSING)) {
        // The image has jars and the run has no Java DB yet: one download for all, then again.
        const java = await options.javaDb.ensure();
        if (!java.ok)
          outcome = {
            ...result,
            error: {
              code: 'db_unavailable',
              message: `the Java DB, which Trivy needs for this image's jar files, could not be downloaded: ${java.message}`,
            },
          };
      } else if (!(await options.backend.lost(lease))) outcome = result;
      if (outcome) break;
    }
    slots.release(slot);
    finished += 1;
    if (!outcome || 'stopped' in outcome) return;
    done.add(job.key);
    durations.push(outcome.durationMs);
    options.record(job, outcome);
    report();
    if (Date.now() - lastWrite >= WRITE_EVERY_MS) {
      lastWrite = Date.now();
      await ledger.save();
    }
  };
  try {
    await Promise.all(queue.map(scanOne));
  } finally {
    signal.removeEventListener('abort', abort);
    progress.finish();
    await pool.destroy();
  }
  return done;
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
