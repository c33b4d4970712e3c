// The Docker host each trivy reads its image from. Trivy reaches unix://, tcp:// and TLS hosts by
// itself (DOCKER_HOST and the TLS variables, scan-env.ts); an ssh:// host it cannot reach, so for
// those the run opens a private local socket carried over DockPeek's own ssh connection
// (known_hosts checked, the configured key), and trivy is given that socket instead.
import { startLocalDockerSocket, type LocalDockerSocket } from '../docker/local-socket.ts';
import type { HostConfig } from '../docker/hosts.ts';
import { createTransport, type Transport } from '../docker/transport.ts';
import type { ImageJob } from './plan.ts';

export interface LocalHosts {
  /** DOCKER_HOST per host name, for the hosts trivy cannot reach itself. */
  urls: Map<string, string>;
  close(): Promise<void>;
}

/** Local sockets for the ssh:// hosts that images of `queue` are scanned from. */
export async function openLocalHosts(
  hosts: HostConfig[],
  queue: ImageJob[],
  env: NodeJS.ProcessEnv,
  connectTimeoutMs: number,
  signal: AbortSignal,
): Promise<LocalHosts> {
  const needed = new Set(queue.map((job) => job.host));
  const urls = new Map<string, string>();
  const opened: Array<{ transport: Transport; socket: LocalDockerSocket }> = [];
  for (const host of hosts) {
    if (!needed.has(host.name) || !host.url.startsWith('ssh:')) continue;
    const transport = createTransport(host, env, connectTimeoutMs);
    const socket = await startLocalDockerSocket(transport, signal);
    opened.push({ transport, socket });
    urls.set(host.name, socket.url);
  }
  return {
    urls,
    async close() {
      for (const { transport, socket } of opened) {
        await socket.close();
        transport.close();
      }
    },
  };
}
