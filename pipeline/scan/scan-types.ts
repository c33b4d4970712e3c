// The shapes the scan modules pass between them, in one place: run-scan drives scan-pool, which
// sends ScanTasks to scan-worker threads; none of them imports another's types.
import type { HostConfig } from '../docker/hosts.ts';
import type { ScanFailure } from './classify.ts';
import type { ScanSummary } from './finding.ts';
import type { TrivyConfig } from './prepare-trivy.ts';
import type { ImageOs } from './report-reader.ts';
import type { WorkerStrategy } from './trivy-args.ts';

/** Everything a scan run is configured with (flags and environment, docs/configuration.md). */
export interface ScanConfig extends TrivyConfig {
  workers: number;
  failedTtlMs: number;
  resultTtlMs: number;
  /** Bytes of stdout one trivy may print (DOCKPEEK_TRIVY_MAX_OUTPUT). */
  maxOutputBytes: number;
  force: boolean;
  hosts: HostConfig[];
  /** DOCKPEEK_DOCKER_CONNECT_TIMEOUT: for the ssh connection that carries trivy's Docker requests. */
  connectTimeoutMs: number;
}

/** What a scan run did, for the stage's summary line and exit code. */
export interface ScanRunSummary {
  queued: number;
  scanned: number;
  failed: number;
  reused: number;
  skipped: number;
  /** Images whose id or reference is malformed: recorded image_invalid, never given to trivy. */
  invalid: number;
  /** Images whose current state is failed, this run or cached. */
  failingImages: number;
  /** The run was stopped (SIGINT/SIGTERM): unfinished images were put back as they were. */
  interrupted: boolean;
  trivyVersion?: string;
  strategy?: string;
  notes: string[];
}

/** One image to scan, as sent to a pool thread (structured-cloneable). */
export interface ScanTask {
  key: string;
  ref: string;
  bin: string;
  env: Record<string, string>;
  /** A private, empty working directory. */
  cwd: string;
  strategy: WorkerStrategy;
  timeoutMs: number;
  maxOutputBytes: number;
  reportsDir: string;
  /** Where the running trivy's pid is recorded, for the next run if this one is SIGKILLed. */
  runningDir: string;
  /** Slot in `pids` where this task publishes its trivy pid, for the main thread to kill. */
  pids: Int32Array;
  slot: number;
  /** Index 0 becomes 1 when the run is stopped: the task ends as soon as it sees it. */
  stop: Int32Array;
}

/** How one image's scan ended. */
export type ScanOutcome =
  | {
      key: string;
      ok: true;
      summary: ScanSummary;
      report: string;
      os?: ImageOs;
      durationMs: number;
    }
  | { key: string; ok: false; error: ScanFailure; durationMs: number }
  /** The run was stopped while this image was being scanned: nothing to record. */
  | { key: string; ok: false; stopped: true; durationMs: number };
