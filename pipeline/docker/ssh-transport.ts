import os from 'node:os';
import path from 'node:path';
import type { Client, ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { cleanRemoteText, HostFailureError, type HostFailure } from './host-failure.ts';
import { checkHostKey, knownAlgorithms, knownHostsName } from './known-hosts.ts';
import { readAuth, readKnownHosts, type Ssh2 } from './ssh-credentials.ts';
import { explainSshError, type SshContext } from './ssh-failure.ts';
import type { OpenedSocket, Transport } from './transport.ts';

/** Where an ssh:// host URL points. */
export interface SshTarget {
  host: string;
  port: number;
  /** From the URL (decoded); empty for the user running dockpeek-security. */
  user: string;
}

/**
 * One ssh connection per host per run (host key checked against known_hosts, never accepted
 * blindly); each request gets its own `docker system dial-stdio` channel on it.
 */
export function createSshTransport(
  target: SshTarget,
  env: NodeJS.ProcessEnv,
  readyTimeoutMs: number,
): Transport {
  const ctx: SshContext = {
    host: target.host,
    port: target.port,
    user: target.user || env.USER || os.userInfo().username,
    knownHosts:
      env.DOCKPEEK_SSH_KNOWN_HOSTS || path.join(env.HOME || os.homedir(), '.ssh', 'known_hosts'),
    keySource: '',
    algorithms: [],
  };
  let client: Client | undefined;
  let connection: Promise<Client> | undefined;
  let closed = false;
  return {
    hostHeader: 'docker',
    close() {
      closed = true;
      client?.end();
    },
    async open(signal) {
      // Closed while ssh2 was still loading: connecting now would keep the process alive.
      connection ??= connect(ctx, env, readyTimeoutMs, (c) => ((client = c), !closed));
      return openDialChannel(await abortable(connection, signal), signal);
    },
  };
}

async function connect(
  ctx: SshContext,
  env: NodeJS.ProcessEnv,
  readyTimeoutMs: number,
  /** Hands the client over; false when the transport was closed meanwhile. */
  onClient: (client: Client) => boolean,
): Promise<Client> {
  // Loaded only for ssh hosts: most installations never need it.
  const ssh2: Ssh2 = (await import('ssh2')).default;
  const auth = readAuth(env, ssh2);
  if (!auth.ok) throw new HostFailureError(auth.failure);
  ctx.keySource = auth.value.source;
  const known = readKnownHosts(ctx.knownHosts);
  ctx.knownHosts = known.display;
  const entries = known.entries;
  const name = knownHostsName(ctx.host, ctx.port);
  ctx.algorithms = knownAlgorithms(entries, name);
  const client = new ssh2.Client();
  if (!onClient(client)) throw new HostFailureError({ code: 'ssh_error', message: 'closed' });
  return new Promise<Client>((resolve, reject) => {
    const failWith = (error: unknown) => reject(new HostFailureError(explainSshError(error, ctx)));
    client.on('ready', () => resolve(client));
    client.on('error', failWith);
    client.on('close', () => failWith(new Error('the connection closed during the handshake')));
    const config: ConnectConfig = {
      host: ctx.host,
      port: ctx.port,
      username: ctx.user,
      readyTimeout: readyTimeoutMs,
      ...(auth.value.privateKey && { privateKey: auth.value.privateKey }),
      ...(auth.value.agent && { agent: auth.value.agent }),
      hostVerifier: (key: Buffer) => {
        ctx.presented = key;
        ctx.verdict = checkHostKey(entries, name, key);
        return ctx.verdict.verdict === 'known';
      },
      ...(ctx.algorithms.length && {
        algorithms: { serverHostKey: ctx.algorithms as ServerHostKeyAlgorithm[] },
      }),
    };
    try {
      client.connect(config);
    } catch (error) {
      failWith(error);
    }
  });
}

/** A fresh channel running the Docker CLI's stdio bridge to the remote daemon's socket. */
function openDialChannel(client: Client, signal: AbortSignal): Promise<OpenedSocket> {
  return new Promise((resolve, reject) => {
    const refused = (error: Error) =>
      reject(
        new HostFailureError({
          code: 'ssh_error',
          message: `the ssh server would not run \`docker system dial-stdio\`: ${cleanRemoteText(error.message)}`,
        }),
      );
    try {
      client.exec('docker system dial-stdio', (error, channel) => {
        if (error) return refused(error);
        if (signal.aborted) {
          channel.destroy();
          return reject(signal.reason);
        }
        let stderr = '';
        channel.stderr.on('data', (data: Buffer) => {
          if (stderr.length < 4096) stderr += data.toString('utf8');
        });
        channel.on('error', () => {});
        const explain = (): HostFailure | undefined =>
          stderr.trim()
            ? {
                code: 'ssh_error',
                message: `the remote \`docker system dial-stdio\` failed: ${cleanRemoteText(stderr)}`,
              }
            : undefined;
        resolve({ socket: channel, explain });
      });
    } catch (error) {
      refused(error as Error);
    }
  });
}

/** The promise, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
