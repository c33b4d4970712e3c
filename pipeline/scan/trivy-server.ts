// One private `trivy server` on 127.0.0.1: started with a random token in its environment (never
// in argv, which every local user can read), recorded in .trivy-running like the scans (a killed
// run's next scan kills it), ready once the socket listening on its port is its own (socket-owner.ts)
// and GET /healthz answers "ok", stopped with SIGTERM and then SIGKILL to its whole process group.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fatalMessage } from './classify.ts';
import { markDone, markRunning } from './orphans.ts';
import { killGroup } from './run-process.ts';
import { portOwner } from './socket-owner.ts';

export interface ServerOptions {
  bin: string;
  /** Its --cache-dir: the DB the run downloaded, and the layer cache kept across runs. */
  cacheDir: string;
  /** The run's trivy environment (trivy-env.ts): no token, only the passed TRIVY_* variables. */
  env: Record<string, string>;
  /** A private, empty working directory. */
  cwd: string;
  /** <data>/.trivy-running */
  runningDir: string;
  /** Time it has to answer /healthz. */
  startMs: number;
  signal?: AbortSignal;
}

/** A running server. `exited` settles when the process is gone, for whatever reason. */
export interface TrivyServer {
  url: string;
  token: string;
  pid: number;
  exited: Promise<string>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL to the group after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export type StartResult = { ok: true; server: TrivyServer } | { ok: false; reason: string };

const STDERR_TAIL = 16 * 1024;
const POLL_MS = 100;

/** Start a server and wait until it is healthy; failures (and an abort) come back as reasons. */
export async function startTrivyServer(options: ServerOptions): Promise<StartResult> {
  const port = await freePort();
  const token = randomBytes(24).toString('base64url');
  const listen = `127.0.0.1:${port}`;
  // --skip-db-update: the run downloaded the DB into this cache dir already (one download per run,
  // the same db_unavailable handling in every mode), and an offline server starts on a cached DB.
  const args = ['server', '--listen', listen, '--cache-dir', options.cacheDir, '--skip-db-update'];
  const child = spawn(options.bin, args, {
    env: { ...options.env, TRIVY_TOKEN: token },
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  let exitedNow = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not be started: ${error.message}`));
    child.once('close', (code, signal) => resolve(describeExit(code, signal, stderr)));
  }).then((why) => {
    exitedNow = true;
    killGroup(child.pid);
    if (child.pid) markDone(options.runningDir, child.pid);
    process.off('exit', killOnExit);
    return why;
  });
  // A second Ctrl-C exits at once (process.exit): the group must not outlive us even then.
  const killOnExit = () => killGroup(child.pid);
  process.on('exit', killOnExit);
  if (child.pid) markRunning(options.runningDir, child.pid, options.bin);

  const server: TrivyServer = {
    url: `http://${listen}`,
    token,
    pid: child.pid ?? 0,
    exited,
    hasExited: () => exitedNow,
    async stop(graceMs = 5000) {
      if (exitedNow) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const ready = await waitHealthy(server, port, options);
  if (ready === true) return { ok: true, server };
  await server.stop(0);
  return { ok: false, reason: ready };
}

/**
 * true once the server we started holds the socket on its port and /healthz says "ok"; otherwise
 * why not (it exited, another process took the port, the deadline, an abort). /healthz is asked
 * only of our own socket: whoever else answers there is never taken for our server.
 */
async function waitHealthy(
  server: TrivyServer,
  port: number,
  options: ServerOptions,
): Promise<true | string> {
  const deadline = Date.now() + options.startMs;
  let exitReason: string | undefined;
  void server.exited.then((why) => (exitReason = why));
  while (!options.signal?.aborted) {
    if (exitReason !== undefined) return exitReason;
    const owner = portOwner(port, server.pid);
    if (owner.state === 'unknown')
      return `could not check which process listens on 127.0.0.1:${port} (${owner.why}), so its answers cannot be trusted`;
    if (owner.state === 'other')
      return `127.0.0.1:${port} was taken by another process before the server could listen there; the token was not sent to it`;
    if (owner.state === 'ours' && (await isHealthy(server.url))) return true;
    if (Date.now() > deadline)
      return `did not answer ${server.url}/healthz within ${Math.round(options.startMs / 1000)} s`;
    await Promise.race([new Promise((r) => setTimeout(r, POLL_MS)), server.exited]);
  }
  return 'was stopped with the scan';
}

/** GET /healthz answers "ok" (no token needed), within a second. */
export async function isHealthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).trim() === 'ok';
  } catch {
    return false;
  }
}

/** A port nothing listens on now (the server may still lose it to another program: a restart). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function describeExit(code: number | null, signal: string | null, stderr: string): string {
  const said = fatalMessage(stderr)?.split('\n')[0] ?? stderr.trim().split('\n').at(-1);
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return said ? `${how}: ${said}` : how;
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  try {
    if (pid) process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
