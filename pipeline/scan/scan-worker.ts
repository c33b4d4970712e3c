import { cp, stat } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { z } from 'zod';
import { formatDuration } from '../config/duration.ts';
import { classifyFailure, type ScanFailure } from './classify.ts';
import { markDone, markRunning } from './orphans.ts';
import { writeReport } from './reports.ts';
import { MAX_STDERR_BYTES, runProcess } from './run-process.ts';
import { scanArgs, sharedCacheDir, workerCacheDir, type CacheStrategy } from './trivy-args.ts';
import { TrivyReportSchema, readFindings, summarize, type ScanSummary } from './trivy-report.ts';

/** One image to scan, as sent to a pool thread (structured-cloneable). */
export interface ScanTask {
  key: string;
  ref: string;
  bin: string;
  env: Record<string, string>;
  strategy: CacheStrategy;
  timeoutMs: number;
  maxOutputBytes: number;
  reportsDir: string;
  /** Where the running trivy's pid is recorded, for the next run if this one is SIGKILLed. */
  runningDir: string;
  /** Slot in `pids` where this task publishes its trivy pid, for the main thread's signal handler. */
  pids: Int32Array;
  slot: number;
}

export type ScanOutcome =
  | { key: string; ok: true; summary: ScanSummary; report: string; durationMs: number }
  | { key: string; ok: false; error: ScanFailure; durationMs: number };

/** Scan one image with the trivy CLI; every failure comes back as data. */
export default async function scanImage(task: ScanTask): Promise<ScanOutcome> {
  await seedWorkerCache(task.strategy);
  // Trivy's own --timeout first; ours a little later, for a trivy that ignores it.
  const graceMs = Math.min(15_000, Math.max(1000, task.timeoutMs / 10));
  let spawned = 0;
  const run = await runProcess(
    task.bin,
    scanArgs(task.strategy, task.ref, task.timeoutMs, threadId),
    {
      env: task.env,
      deadlineMs: task.timeoutMs + graceMs,
      maxOutputBytes: task.maxOutputBytes,
      onSpawn: (pid) => {
        spawned = pid;
        Atomics.store(task.pids, task.slot, pid);
        markRunning(task.runningDir, pid, task.bin);
      },
    },
  );
  Atomics.store(task.pids, task.slot, 0);
  if (spawned) markDone(task.runningDir, spawned);
  const fail = (error: ScanFailure): ScanOutcome => ({
    key: task.key,
    ok: false,
    error,
    durationMs: run.durationMs,
  });

  if (run.killedAtDeadline) {
    return fail({
      code: 'scan_timeout',
      message: `trivy gave no result within ${formatDuration(task.timeoutMs)} and ignored its --timeout; it was killed with its child processes`,
    });
  }
  if (run.outputTooLarge) {
    return fail({
      code: 'invalid_output',
      message: `trivy printed more than ${formatBytes(task.maxOutputBytes)} of JSON (DOCKPEEK_TRIVY_MAX_OUTPUT); output discarded`,
    });
  }
  if (run.stderrTooLarge) {
    return fail({
      code: 'scan_failed',
      message: `trivy wrote more than ${formatBytes(MAX_STDERR_BYTES)} on stderr and was stopped; it began: ${excerpt(run.stderr)}`,
    });
  }
  if (run.spawnError)
    return fail({ code: 'scan_failed', message: `cannot run ${task.bin}: ${run.spawnError}` });
  if (run.signal) {
    const hint =
      run.signal === 'SIGKILL' ? ' (out of memory? the kernel OOM killer sends SIGKILL)' : '';
    return fail({ code: 'scan_failed', message: `trivy was killed by ${run.signal}${hint}` });
  }
  if (run.exitCode !== 0) return fail(classifyFailure(run.stderr, run.exitCode));

  const parsed = parseReport(run.stdout);
  if (!parsed.ok) return fail({ code: 'invalid_output', message: parsed.message });
  const findings = readFindings(parsed.report);
  const report = await writeReport(task.reportsDir, findings);
  return {
    key: task.key,
    ok: true,
    summary: summarize(findings),
    report,
    durationMs: run.durationMs,
  };
}

/** Read trivy's stdout as a report: UTF-8 JSON of the report shape, or a failure saying why. */
export function parseReport(stdout: Uint8Array) {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(stdout);
  } catch {
    // Trivy only writes UTF-8; other bytes mean the output was mangled, so none of it is trusted.
    return {
      ok: false as const,
      message: `trivy exited 0 but stdout is not valid UTF-8 text; it began: ${excerpt(new TextDecoder().decode(stdout))}`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false as const,
      message: `trivy exited 0 but stdout is not JSON (${(error as Error).message}); it began: ${excerpt(text)}`,
    };
  }
  const parsed = TrivyReportSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false as const,
      message: `trivy's JSON is not a report: ${z.prettifyError(parsed.error).replace(/\n/g, ' ').slice(0, 500)}`,
    };
  }
  return { ok: true as const, report: parsed.data };
}

/** Older Trivy: give this worker its own cache dir, seeded with the DB the run downloaded once. */
async function seedWorkerCache(strategy: CacheStrategy): Promise<void> {
  if (strategy.kind !== 'per-worker') return;
  const from = path.join(sharedCacheDir(strategy)!, 'db');
  const to = path.join(workerCacheDir(strategy, threadId)!, 'db');
  const [source, target] = await Promise.all([
    stat(path.join(from, 'metadata.json')).catch(() => null),
    stat(path.join(to, 'metadata.json')).catch(() => null),
  ]);
  if (source && (!target || target.mtimeMs < source.mtimeMs))
    await cp(from, to, { recursive: true, preserveTimestamps: true });
}

/** The start of some output, on one line and quoted, for a message. */
function excerpt(text: string): string {
  return JSON.stringify(text.trim().slice(0, 120).replace(/\s+/g, ' '));
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20
    ? `${Math.round(bytes / (1 << 20))} MB`
    : `${Math.round(bytes / 1024)} KB`;
}
