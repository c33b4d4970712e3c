import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What one trivy process did. Failures are data, never exceptions. */
export interface ProcessResult {
  exitCode: number | undefined;
  /** stdout when it was kept in memory (no `stdoutFile`); raw bytes, the caller checks them. */
  stdout: Uint8Array;
  /** How many bytes trivy wrote on stdout (up to the one chunk that passed the cap). */
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
  /** Hard deadline: past it the whole process group is killed. */
  deadlineMs: number;
  /** stdout larger than this stops the process. */
  maxOutputBytes: number;
  /** Stream stdout into this new file instead of memory (the file is the caller's to remove). */
  stdoutFile?: string;
  /** Told the pid as soon as the process exists, so a signal handler can kill its group. */
  onSpawn?: (pid: number) => void;
  /** Aborting it kills the process group at once. */
  signal?: AbortSignal;
}

/** stderr is the one stream held in memory, so it has a small fixed cap. */
export const MAX_STDERR_BYTES = 1024 * 1024;

/**
 * Run a command in its own process group. stdout is counted as it streams (to a file, or to
 * memory for small outputs) and the group is killed the moment it passes its cap; at the
 * deadline, and again after it exits, the whole group is killed, so neither a hung trivy nor a
 * child it left behind survives.
 */
export async function runProcess(
  file: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const started = performance.now();
  const child = spawn(file, args, {
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
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

  const kept: Buffer[] = [];
  let stdoutBytes = 0;
  let outputTooLarge = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxOutputBytes) {
        outputTooLarge = true;
        killGroup(child.pid);
        done(new Error('stdout passed its cap'));
      } else if (options.stdoutFile) done(null, chunk);
      else {
        kept.push(chunk);
        done();
      }
    },
  });
  const sink = options.stdoutFile
    ? createWriteStream(options.stdoutFile, { flags: 'wx', mode: 0o600 })
    : new Writable({ write: (_chunk, _encoding, done) => done() });
  // Rejects when the cap is passed; the flags say so, the partial file is the caller's to remove.
  const streamed = pipeline(child.stdout, counter, sink).catch(() => undefined);
  const stderr = collectStderr(child.stderr, () => killGroup(child.pid));

  const exit = await ended;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', abort);
  killGroup(child.pid);
  await streamed;
  return {
    exitCode: exit.code ?? undefined,
    stdout: Buffer.concat(kept),
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

/** Keep the first MAX_STDERR_BYTES of stderr; past them, call `overflow` once. */
function collectStderr(stream: NodeJS.ReadableStream, overflow: () => void) {
  const state = { chunks: [] as Buffer[], bytes: 0, tooLarge: false };
  stream.on('data', (chunk: Buffer) => {
    if (state.tooLarge) return;
    const room = MAX_STDERR_BYTES - state.bytes;
    state.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    state.bytes += Math.min(room, chunk.length);
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
