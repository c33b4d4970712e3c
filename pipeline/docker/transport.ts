import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { HostConfig } from './hosts.ts';
import { HostFailureError, type HostFailure, type Result } from './host-failure.ts';
import { createSshTransport } from './ssh-transport.ts';
import { readTlsMaterial, type TlsMaterial } from './tls-material.ts';

/** The byte stream one request travels on, and what to blame when it ends early. */
export interface OpenedSocket {
  socket: Duplex;
  /** A better reason than "connection reset" when one is known (the remote command's stderr). */
  explain?(): HostFailure | undefined;
}

/** How requests reach one host: a fresh stream per request over a socket, TLS or ssh. */
export interface Transport {
  open(signal: AbortSignal): Promise<OpenedSocket>;
  /** The HTTP Host header to send. */
  hostHeader: string;
  /** Release what the transport holds across requests (the ssh connection). */
  close(): void;
}

/** Where and how a host URL is reached. */
export type Endpoint =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls: boolean; hostHeader: string }
  | { kind: 'ssh'; host: string; port: number; user: string };

/** Read the host URL: unix, tcp/http, https or tcp with TLS (cert path, DOCKER_TLS_VERIFY), ssh. */
export function resolveEndpoint(host: HostConfig, env: NodeJS.ProcessEnv): Endpoint {
  const url = new URL(host.url);
  if (url.protocol === 'unix:') return { kind: 'unix', path: decodeURIComponent(url.pathname) };
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'ssh:') {
    const port = url.port ? Number(url.port) : 22;
    return { kind: 'ssh', host: hostname, port, user: decodeURIComponent(url.username) };
  }
  const tls = url.protocol === 'https:' || Boolean(host.certPath) || env.DOCKER_TLS_VERIFY === '1';
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  return { kind: 'tcp', host: hostname, port, tls, hostHeader: url.host };
}

/** The transport for one host. */
export function createTransport(
  host: HostConfig,
  env: NodeJS.ProcessEnv,
  connectTimeoutMs: number,
): Transport {
  const endpoint = resolveEndpoint(host, env);
  if (endpoint.kind === 'unix') return plain('docker', () => net.connect({ path: endpoint.path }));
  if (endpoint.kind === 'ssh') return createSshTransport(endpoint, env, connectTimeoutMs);
  const { host: hostname, port } = endpoint;
  if (!endpoint.tls) return plain(endpoint.hostHeader, () => net.connect({ host: hostname, port }));
  // Read once per run, on first use: a host whose files are missing fails alone.
  let material: Result<Partial<TlsMaterial>> | undefined;
  return plain(
    endpoint.hostHeader,
    () => {
      material ??= host.certPath ? readTlsMaterial(host.certPath) : { ok: true, value: {} };
      if (!material.ok) throw new HostFailureError(material.failure);
      // Loaded on the first TLS connection: a run without TLS hosts never pays for it.
      return process.getBuiltinModule('node:tls').connect({
        host: hostname,
        port,
        // SNI takes names only; an IP address is checked against the certificate's IP SANs.
        ...(net.isIP(hostname) ? {} : { servername: hostname }),
        ...material.value,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      });
    },
    'secureConnect',
  );
}

/** A transport that opens a new socket per request and waits until it is connected. */
function plain(
  hostHeader: string,
  connect: () => net.Socket,
  ready: 'connect' | 'secureConnect' = 'connect',
): Transport {
  return {
    hostHeader,
    close() {},
    async open(signal) {
      const socket = connect();
      // http reports a socket's errors once it owns it; this keeps a late one from crashing us.
      socket.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        const abort = () => reject(signal.reason);
        signal.addEventListener('abort', abort, { once: true });
        socket.once(ready, () => {
          signal.removeEventListener('abort', abort);
          resolve();
        });
        socket.once('error', (error) => {
          signal.removeEventListener('abort', abort);
          reject(error);
        });
      }).catch((error: unknown) => {
        socket.destroy();
        throw error;
      });
      return { socket };
    },
  };
}
