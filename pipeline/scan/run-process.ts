import { execa } from 'execa';

/** What one trivy process did. Failures are data, never exceptions. */
export interface ProcessResult {
  exitCode: number | undefined;
  /** Raw bytes: the caller decides whether they must be UTF-8. */
  stdout: Uint8Array;
  stderr: string;
  /** We killed it at the hard deadline. */
  killedAtDeadline: boolean;
  /** stdout passed maxOutputBytes; the process was stopped. */
  outputTooLarge: boolean;
  /** stderr passed MAX_STDERR_BYTES; the process was stopped. */
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
  maxOutputBytes: number;
  /** Told the pid as soon as the process exists, so a signal handler can kill its group. */
  onSpawn?: (pid: number) => void;
}

export const MAX_STDERR_BYTES = 1024 * 1024;

/**
 * Run a command in its own process group. At the deadline, and again after it exits, the whole
 * group is killed, so neither a hung trivy nor a child it left behind survives.
 */
export async function runProcess(
  file: string,
  args: string[],
  options: ProcessOptions,
): Promise<ProcessResult> {
  const started = performance.now();
  const child = execa(file, args, {
    env: options.env,
    extendEnv: false,
    detached: true,
    reject: false,
    stdin: 'ignore',
    encoding: 'buffer',
    maxBuffer: { stdout: options.maxOutputBytes, stderr: MAX_STDERR_BYTES },
    stripFinalNewline: false,
  });
  if (child.pid) options.onSpawn?.(child.pid);
  let killedAtDeadline = false;
  const timer = setTimeout(() => {
    killedAtDeadline = true;
    killGroup(child.pid);
  }, options.deadlineMs);
  const result = await child;
  clearTimeout(timer);
  killGroup(child.pid);
  const spawnFailed =
    result.failed && result.exitCode === undefined && !result.isTerminated && !result.isMaxBuffer;
  const stdout = result.stdout ?? new Uint8Array();
  // execa keeps exactly maxBuffer bytes of the stream that overflowed; that says which one it was.
  const stdoutFull = Boolean(result.isMaxBuffer) && stdout.length >= options.maxOutputBytes;
  return {
    exitCode: result.exitCode,
    stdout,
    stderr: new TextDecoder().decode(result.stderr ?? new Uint8Array()),
    killedAtDeadline,
    outputTooLarge: stdoutFull,
    stderrTooLarge: Boolean(result.isMaxBuffer) && !stdoutFull,
    ...(result.signal && { signal: result.signal }),
    ...(spawnFailed && { spawnError: result.shortMessage }),
    durationMs: Math.round(performance.now() - started),
  };
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
