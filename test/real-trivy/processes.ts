// Real trivy processes the tests start themselves: a shared `trivy server` (as a homelab runs one
// for several pipelines), a plain `trivy image` run, and a proxy that records where trivy would
// go on the internet (check.trivy.dev for its version check and telemetry).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { waitFor } from '../helpers/dockerd.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';

export interface SharedServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** `trivy server` on 127.0.0.1 with a token, downloading its DB from `dbRepository`. */
export async function startSharedServer(
  trivy: string,
  options: { token: string; dbRepository: string },
): Promise<SharedServer> {
  const port = await findClosedPort();
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'dpk-shared-server-'));
  const child = spawn(
    trivy,
    ['server', '--listen', `127.0.0.1:${port}`, '--cache-dir', cacheDir, '--quiet'],
    {
      cwd: cacheDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: cacheDir,
        TRIVY_TOKEN: options.token,
        TRIVY_DB_REPOSITORY: options.dbRepository,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`)).ok,
    120_000,
    `trivy server did not become healthy: ${stderr}`,
  );
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A plain `trivy image` run, as a user would type it, in `cwd` with exactly `env`. */
export function runTrivy(
  trivy: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
) {
  return execa(trivy, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
}

/** An HTTP(S) proxy that answers nothing and records the first line of every request. */
export async function startRecordingHttpProxy(): Promise<{
  url: string;
  requests: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    socket.once('data', (data) => {
      requests.push(String(data).split('\r\n')[0]!);
      socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Pids of live processes running `binary` (by /proc/<pid>/exe), zombies excluded. */
export async function processesOf(binary: string): Promise<number[]> {
  const { stdout } = await execa('sh', [
    '-c',
    `for p in /proc/[0-9]*; do [ "$(readlink $p/exe 2>/dev/null)" = "${binary}" ] && ! grep -q '^State:.Z' $p/status 2>/dev/null && echo \${p#/proc/}; done; true`,
  ]);
  return stdout.split('\n').filter(Boolean).map(Number);
}

/** An HTTP proxy on 127.0.0.1 that records each request and may hold some back, or forever. */
interface HoldingProxy {
  port: number;
  /** "METHOD /path" of every request. */
  requests: string[];
  /** The paths of the requests held forever. */
  stalled: string[];
  close(): Promise<void>;
}

async function startHoldingProxy(
  upstream: { host: string; port: number } | { socketPath: string },
  /** Milliseconds to hold a request back (Infinity: never answer it), or 0. */
  hold: (url: string) => number,
): Promise<HoldingProxy> {
  const http = await import('node:http');
  const requests: string[] = [];
  const stalled: string[] = [];
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    requests.push(`${req.method} ${url}`);
    const ms = hold(url);
    if (ms === Infinity) return void stalled.push(url);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    const forward = http.request(
      { ...upstream, method: req.method, path: url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    stalled,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A registry mirror in front of `upstream` (host:port) that records requests; with `blobDelayMs`,
 * each blob is held back that long, as a large download over a slow link would be.
 */
export async function startCountingProxy(
  upstream: string,
  options: { blobDelayMs?: number } = {},
): Promise<HoldingProxy & { host: string }> {
  const [host, port] = upstream.split(':') as [string, string];
  const proxy = await startHoldingProxy({ host, port: Number(port) }, (url) =>
    /\/blobs\/sha256:/.test(url) ? (options.blobDelayMs ?? 0) : 0,
  );
  return { ...proxy, host: `127.0.0.1:${proxy.port}` };
}

/**
 * A Docker API on 127.0.0.1 in front of a daemon's socket that never answers `stall` requests
 * (an image export that hangs, as on a host under load): everything else passes through.
 */
export async function startStallingDockerProxy(
  socket: string,
  stall: RegExp,
): Promise<HoldingProxy & { url: string }> {
  const proxy = await startHoldingProxy({ socketPath: socket }, (url) =>
    stall.test(url) ? Infinity : 0,
  );
  return { ...proxy, url: `tcp://127.0.0.1:${proxy.port}` };
}
