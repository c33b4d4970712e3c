import { randomUUID } from 'node:crypto';
import { cp, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { summarize } from './finding.ts';
import { markDone, markRunning } from './orphans.ts';
import { parseReportFile } from './parse-report.ts';
import { incomingDir, writeReport } from './reports.ts';
import { killGroup, runProcess } from './run-process.ts';
import { runFailure } from './run-failure.ts';
import type { ScanOutcome, ScanTask } from './scan-types.ts';
import { scanArgs, sharedCacheDir, workerCacheDir, type WorkerStrategy } from './trivy-args.ts';

/**
 * Scan one image with the trivy CLI; every failure comes back as data. trivy's stdout streams to
 * a temp file (never held in memory), is parsed from there a chunk at a time, and the file is
 * removed whatever happens.
 */
export default async function scanImage(task: ScanTask): Promise<ScanOutcome> {
  const stopped = () => Atomics.load(task.stop, 0) === 1;
  const stop = (durationMs: number): ScanOutcome => ({
    key: task.key,
    ok: false,
    stopped: true,
    durationMs,
  });
  if (stopped()) return stop(0);
  await seedWorkerCache(task.strategy);
  const stdoutFile = path.join(incomingDir(task.reportsDir), `${randomUUID()}.json`);
  await mkdir(path.dirname(stdoutFile), { recursive: true });
  try {
    // Trivy's own --timeout first; ours a little later, for a trivy that ignores it.
    const graceMs = Math.min(15_000, Math.max(1000, task.timeoutMs / 10));
    let spawned = 0;
    const run = await runProcess(
      task.bin,
      scanArgs(task.strategy, task.ref, task.timeoutMs, threadId),
      {
        env: task.env,
        cwd: task.cwd,
        deadlineMs: task.timeoutMs + graceMs,
        maxOutputBytes: task.maxOutputBytes,
        stdoutFile,
        onSpawn: (pid) => {
          spawned = pid;
          Atomics.store(task.pids, task.slot, pid);
          markRunning(task.runningDir, pid, task.bin);
          // Stopped between the main thread's kill and this pid's publication: kill it here.
          if (stopped()) killGroup(pid);
        },
      },
    );
    Atomics.store(task.pids, task.slot, 0);
    if (spawned) markDone(task.runningDir, spawned);
    if (stopped()) return stop(run.durationMs);
    const fail = (error: NonNullable<ReturnType<typeof runFailure>>): ScanOutcome => ({
      key: task.key,
      ok: false,
      error,
      durationMs: run.durationMs,
    });
    const failure = runFailure(run, task);
    if (failure) return fail(failure);

    const parsed = await parseReportFile(stdoutFile, stopped);
    if (!parsed) return stop(run.durationMs);
    if (!parsed.ok) return fail({ code: 'invalid_output', message: parsed.message });
    const report = await writeReport(task.reportsDir, parsed.findings);
    return {
      key: task.key,
      ok: true,
      summary: summarize(parsed.findings),
      report,
      ...(parsed.os && { os: parsed.os }),
      durationMs: run.durationMs,
    };
  } finally {
    await rm(stdoutFile, { force: true });
  }
}

/**
 * Older Trivy: give this worker its own cache dir, seeded with the DB the run downloaded once, and
 * with the Java DB when the run has one.
 */
async function seedWorkerCache(strategy: WorkerStrategy): Promise<void> {
  if (strategy.kind !== 'per-worker') return;
  for (const folder of ['db', 'java-db']) {
    const from = path.join(sharedCacheDir(strategy)!, folder);
    const to = path.join(workerCacheDir(strategy, threadId)!, folder);
    const [source, target] = await Promise.all([
      stat(path.join(from, 'metadata.json')).catch(() => null),
      stat(path.join(to, 'metadata.json')).catch(() => null),
    ]);
    if (source && (!target || target.mtimeMs < source.mtimeMs))
      await cp(from, to, { recursive: true, preserveTimestamps: true });
  }
}
