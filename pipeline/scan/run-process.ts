import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { watchFileSize } from './watch-size.ts';

/** What one trivy process did. Failures are data, never exceptions. */
export interface ProcessResult {
  exitCode: number | undefined;
  /** stdout when it was kept in memory (no `stdoutFile`); raw bytes, the caller checks them. */
  stdout: Uint8Array;
  /** How many bytes trivy wrote on stdout (when it passed the cap: as many as when it was seen). */
  stdoutBytes: number;
  stderr: string;
  /** We killed it at the hard deadline. */
  killedAtDeadline: boolean;
  /** stdout passed maxOutputBytes; the process group was killed at once. */
  outputTooLarge: boolean;
  /** stderr passed MAX_STDERR_BYTES; the process group was killed. */
  stderrTooLarge: boolean;
  /** The signal that ended it, when one did (SIGKILL from the OOM killer, say). */
  signal?: string;
  /** It could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
  durationMs: number;
}

export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Its working directory: a private empty folder, so no trivy.yaml or .trivyignore is read. */
  cwd: string;
  /** Hard deadline: past it the whole process group is killed. */
  deadlineMs: number;
  /** stdout larger than this stops the process. */
  maxOutputBytes: number;
  /** Give the process this new file as its stdout, instead of memory (the caller removes it). */
  stdoutFile?: string;
  /** Told the pid as soon as the process exists, so a signal handler can kill its group. */
  onSpawn?: (pid: number) => void;
  /** Aborting it kills the process group at once. */
  signal?: AbortSignal;
}

/** stderr is the one stream held in memory, so it has a small fixed cap. */
export const MAX_STDERR_BYTES = 1024 * 1024;

/**
 * Run a command in its own process group. With `stdoutFile` the process writes its stdout straight
 * into that file (no byte of it passes through this process), whose size is watched: the group is
 * killed the moment it passes the cap. Small outputs (the version) are kept in memory, counted.
 * At the deadline, and again after it exits, the whole group is killed, so neither a hung trivy
 * nor a child it left behind survives.
 */
export async function runProcess(
  file: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const started = performance.now();
  const out = options.stdoutFile ? openSync(options.stdoutFile, 'wx', 0o600) : undefined;
  const child = spawn(file, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', out ?? 'pipe', 'pipe'],
  });
  const ended = new Promise<{ code: number | null; signal: string | null; error?: string }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  if (child.pid) options.onSpawn?.(child.pid);
  let killedAtDeadline = false;
  const timer = setTimeout(() => {
    killedAtDeadline = true;
    killGroup(child.pid);
  }, options.deadlineMs);
  const abort = () => killGroup(child.pid);
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });

  let outputTooLarge = false;
  const tooLarge = () => {
    outputTooLarge = true;
    killGroup(child.pid);
  };
  const stdout =
    out === undefined
      ? collect(child.stdout!, options.maxOutputBytes, tooLarge)
      : watchFileSize(options.stdoutFile!, out, options.maxOutputBytes, tooLarge);
  const stderr = collect(child.stderr!, MAX_STDERR_BYTES, () => killGroup(child.pid));

  const exit = await ended;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', abort);
  killGroup(child.pid);
  // The last word on the size: a writer faster than the watch may have finished past the cap.
  const stdoutBytes = stdout.finish();
  if (out !== undefined) closeSync(out);
  return {
    exitCode: exit.code ?? undefined,
    stdout: Buffer.concat(stdout.chunks),
    stdoutBytes,
    stderr: new TextDecoder().decode(Buffer.concat(stderr.chunks)),
    killedAtDeadline,
    outputTooLarge,
    stderrTooLarge: stderr.tooLarge,
    ...(exit.signal && { signal: exit.signal }),
    ...(exit.error !== undefined && !child.pid && { spawnError: exit.error }),
    durationMs: Math.round(performance.now() - started),
  };
}

/** Keep the first `max` bytes of a stream; past them, call `overflow` once. Counts all it saw. */
function collect(stream: NodeJS.ReadableStream, max: number, overflow: () => void) {
  const state = {
    chunks: [] as Buffer[],
    kept: 0,
    seen: 0,
    tooLarge: false,
    finish: (): number => state.seen,
  };
  stream.on('data', (chunk: Buffer) => {
    state.seen += chunk.length;
    if (state.tooLarge) return;
    const room = max - state.kept;
    state.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    state.kept += Math.min(room, chunk.length);
    if (chunk.length > room) {
      state.tooLarge = true;
      overflow();
    }
  });
  return state;
}

/** SIGKILL a process group; quietly nothing when it is already gone. */
export function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
