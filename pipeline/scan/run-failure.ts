import { formatDuration } from '../config/duration.ts';
import { classifyFailure, type ScanFailure } from './classify.ts';
import { excerpt } from './parse-report.ts';
import { MAX_STDERR_BYTES, type ProcessResult } from './run-process.ts';

/** Why a trivy run gave no report to read, or undefined when it exited 0 and stdout is readable. */
export function runFailure(
  run: ProcessResult,
  limits: { bin: string; timeoutMs: number; maxOutputBytes: number },
): ScanFailure | undefined {
  if (run.killedAtDeadline) {
    return {
      code: 'scan_timeout',
      message: `trivy gave no result within ${formatDuration(limits.timeoutMs)} and ignored its --timeout; it was killed with its child processes`,
    };
  }
  if (run.outputTooLarge) {
    return {
      code: 'output_too_large',
      message: `trivy printed more than ${formatBytes(limits.maxOutputBytes)} on stdout (DOCKPEEK_TRIVY_MAX_OUTPUT); it was stopped there and its output discarded`,
    };
  }
  if (run.stderrTooLarge) {
    return {
      code: 'scan_failed',
      message: `trivy wrote more than ${formatBytes(MAX_STDERR_BYTES)} on stderr and was stopped; it began: ${excerpt(run.stderr)}`,
    };
  }
  if (run.spawnError)
    return { code: 'scan_failed', message: `cannot run ${limits.bin}: ${run.spawnError}` };
  if (run.signal) {
    const hint =
      run.signal === 'SIGKILL' ? ' (out of memory? the kernel OOM killer sends SIGKILL)' : '';
    return { code: 'scan_failed', message: `trivy was killed by ${run.signal}${hint}` };
  }
  if (run.exitCode !== 0) return classifyFailure(run.stderr, run.exitCode);
  return undefined;
}

/** Bytes as people read them: 16 MB, 100 KB. */
export function formatBytes(bytes: number): string {
  return bytes >= 1 << 20
    ? `${Math.round(bytes / (1 << 20))} MB`
    : `${Math.round(bytes / 1024)} KB`;
}
