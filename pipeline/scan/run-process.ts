import { execa } from 'execa';

/** What one trivy process did. Failures are data, never exceptions. */
export interface ProcessResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** We killed it at the hard deadline. */
  killedAtDeadline: boolean;
  /** stdout passed maxOutputBytes; the process was stopped. */
  outputTooLarge: boolean;
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
    maxBuffer: { stdout: options.maxOutputBytes, stderr: 1024 * 1024 },
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
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    killedAtDeadline,
    outputTooLarge: Boolean(result.isMaxBuffer),
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
