import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { requireSnapshot } from '../store/require-snapshot.ts';
import { killOrphans, runningDir } from './orphans.ts';
import { planScan, type ImageJob } from './plan.ts';
import { prepareTrivy } from './prepare-trivy.ts';
import type { ScanLedger } from './ledger.ts';
import { incomingDir, reportsDir } from './reports.ts';
import { openLocalHosts } from './docker-hosts.ts';
import { describeJob } from './scan-env.ts';
import { createScanBackend } from './scan-backend.ts';
import { runPool } from './scan-pool.ts';
import { describeDropped, trivyEnvironment } from './trivy-env.ts';
import type { ScanProgress } from './scan-progress.ts';
import { finishedRecord, restoreUnfinished, type Finished } from './scan-records.ts';
import type { ScanConfig, ScanRunSummary } from './scan-types.ts';
import type { ScanRecord } from './schema.ts';

export type { ScanConfig, ScanRunSummary } from './scan-types.ts';

/**
 * Scan every distinct image of the current snapshot that needs it, in a Tinypool worker pool.
 * Aborting `signal` (SIGINT/SIGTERM at the entry point) kills the running trivy groups, puts the
 * unfinished images back as they were, saves the ledger and returns with `interrupted` set.
 */
export async function runScan(
  ledger: ScanLedger,
  config: ScanConfig,
  progress: ScanProgress,
  signal: AbortSignal = new AbortController().signal,
): Promise<ScanRunSummary> {
  const snapshot = requireSnapshot({ snapshot: ledger.snapshot() }, ledger.file);
  // This run holds the lock: any trivy still recorded as running, and any half-written file,
  // belongs to a run that was killed.
  const orphans = killOrphans(runningDir(ledger.dataDir));
  const incoming = incomingDir(reportsDir(ledger.dataDir));
  await rm(incoming, { recursive: true, force: true });
  const now = new Date();
  const plan = planScan(snapshot, ledger.scans(), {
    now,
    resultTtlMs: config.resultTtlMs,
    force: config.force,
  });
  const summary: ScanRunSummary = {
    queued: plan.queue.length,
    scanned: 0,
    failed: 0,
    reused: plan.reused,
    skipped: plan.skipped.length,
    invalid: plan.invalid.length,
    failingImages: 0,
    interrupted: signal.aborted,
    notes: orphans.length
      ? [
          `killed ${orphans.length} trivy process group(s) left running by a scan that was killed (pid ${orphans.join(', ')})`,
        ]
      : [],
  };
  if (signal.aborted) return summary;
  for (const key of plan.stale) ledger.dropScan(key);
  for (const job of plan.skipped)
    ledger.putScan(job.key, {
      status: 'skipped',
      imageId: job.imageId,
      ref: job.ref,
      host: job.host,
      updatedAt: now.toISOString(),
    });
  const record = (job: ImageJob, outcome: Finished, trivyVersion?: string) => {
    const finished = finishedRecord(job, outcome, new Date(), {
      trivyVersion,
      failedTtlMs: config.failedTtlMs,
    });
    ledger.putScan(job.key, finished);
    if (outcome.ok) summary.scanned += 1;
    else if (outcome.error.code !== 'image_invalid') summary.failed += 1;
    progress.line(describeJob(job, finished));
  };
  for (const job of plan.invalid)
    record(job, {
      ok: false,
      error: { code: 'image_invalid', message: job.invalid! },
      durationMs: 0,
    });
  if (plan.queue.length === 0) {
    await ledger.save();
    return finish(summary, ledger.scans());
  }

  // Every trivy of the run: a private empty working directory (no trivy.yaml, no .trivyignore)
  // and only the TRIVY_* variables that may reach it.
  const cwd = path.join(ledger.dataDir, '.trivy-work');
  await rm(cwd, { recursive: true, force: true });
  await mkdir(cwd, { recursive: true, mode: 0o700 });
  const trivyEnv = trivyEnvironment(config.env, cwd);
  const runtime = { env: trivyEnv.env, cwd };
  const dropped = describeDropped(trivyEnv.dropped);
  if (dropped) summary.notes.push(dropped);
  const setup = await prepareTrivy(config, runtime, signal);
  summary.trivyVersion = setup.versionText;
  summary.strategy =
    setup.strategy.kind === 'private-server' ? 'private server' : setup.strategy.kind;
  summary.notes.push(...setup.notes);
  const previous = new Map(plan.queue.map((job) => [job.key, ledger.scans()[job.key]]));
  if (!signal.aborted && setup.dbFailure) {
    for (const job of plan.queue)
      record(job, { ok: false, error: setup.dbFailure, durationMs: 0 }, setup.versionText);
  } else if (!signal.aborted) {
    for (const job of plan.queue) {
      ledger.putScan(job.key, {
        ...previous.get(job.key),
        status: 'pending',
        imageId: job.imageId,
        ref: job.ref,
        host: job.host,
        updatedAt: now.toISOString(),
      });
    }
    await ledger.save();
    const backend = createScanBackend(setup.strategy, {
      bin: config.bin,
      env: runtime.env,
      cwd,
      runningDir: runningDir(ledger.dataDir),
      startMs: config.serverStartMs,
      signal,
      ...(config.token && { token: config.token }),
    });
    let done: Set<string>;
    const local = await openLocalHosts(
      config.hosts,
      plan.queue,
      config.env,
      config.connectTimeoutMs,
      signal,
    );
    try {
      await backend.start();
      done = await runPool({
        queue: plan.queue,
        config,
        runtime,
        javaDb: setup.javaDb,
        localHosts: local.urls,
        backend,
        ledger,
        progress,
        summary,
        record: (job, outcome) => record(job, outcome, setup.versionText),
        signal,
      });
    } finally {
      await local.close();
      await backend.stop();
      summary.strategy = backend.label();
      summary.notes.push(...backend.notes);
    }
    if (signal.aborted) {
      restoreUnfinished(ledger, plan.queue, previous, done);
      // A worker stopped mid-scan may not have removed its temp file.
      await rm(incoming, { recursive: true, force: true });
    }
  }
  summary.interrupted = signal.aborted;
  await ledger.save();
  return finish(summary, ledger.scans());
}

/** Count what is failing now, cached failures included; nothing may stay pending. */
function finish(
  summary: ScanRunSummary,
  scans: Readonly<Record<string, ScanRecord>>,
): ScanRunSummary {
  for (const record of Object.values(scans)) {
    if (record.status === 'pending') throw new Error(`internal error: ${record.ref} left pending`);
    if (record.status === 'failed') summary.failingImages += 1;
  }
  return summary;
}
