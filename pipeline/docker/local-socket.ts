// A private unix socket that carries another local program's Docker API requests (trivy's) to a
// host DockPeek reaches through its own transport: for an ssh:// host, Trivy cannot dial it (it
// drops the Docker CLI's ssh helper and tries http://docker.example.com). Each connection gets
// its own stream on the host's one ssh connection. Only what reading an image needs passes:
// GET and HEAD without a body; anything else is answered 403 and closed. The socket lives in a
// folder only this user can enter.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Transport } from './transport.ts';

/** Request heads larger than this are refused (Docker's own clients send well under 1 KiB). */
const MAX_HEAD = 16 * 1024;

export interface LocalDockerSocket {
  /** unix:///… for DOCKER_HOST. */
  url: string;
  close(): Promise<void>;
}

/** Listen on a fresh socket in a private temp folder; close() removes both. */
export async function startLocalDockerSocket(
  transport: Transport,
  signal: AbortSignal,
): Promise<LocalDockerSocket> {
  // mkdtemp makes the folder 0700: no other user can connect to the socket inside.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dockpeek-docker-'));
  const socketPath = path.join(dir, 'docker.sock');
  const open = new Set<Duplex>();
  const server = net.createServer((client) => forward(client, transport, signal, open));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    url: `unix://${socketPath}`,
    async close() {
      for (const stream of open) stream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The request's method when it may pass (GET or HEAD, no body, no upgrade), else undefined. */
export function allowedHead(head: string): string | undefined {
  const [line = '', ...headers] = head.split('\r\n');
  const method = /^(GET|HEAD) \S+ HTTP\/1\.[01]$/.exec(line)?.[1];
  if (!method) return undefined;
  for (const header of headers) {
    const [name = '', value = ''] = header.split(/:\s*/, 2);
    const key = name.toLowerCase();
    if (key === 'transfer-encoding' || key === 'upgrade') return undefined;
    if (key === 'content-length' && value.trim() !== '0') return undefined;
  }
  return method;
}

function describe(error: unknown): string {
  const failure = (error as { failure?: { code?: string; message?: string } }).failure;
  return failure?.message ? `${failure.message} (${failure.code})` : String(error);
}

function forward(client: net.Socket, transport: Transport, signal: AbortSignal, open: Set<Duplex>) {
  open.add(client);
  let buffered = Buffer.alloc(0);
  let upstream: Promise<Duplex> | undefined;
  // Docker's clients show an error answer's "message": say why in it.
  const fail = (status: string, message = status) => {
    const body = JSON.stringify({ message });
    client.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    void upstream?.then(
      (u) => u.destroy(),
      () => {},
    );
  };
  const connect = () =>
    (upstream ??= transport.open(signal).then(({ socket }) => {
      open.add(socket);
      socket.on('data', (data: Buffer) => client.write(data));
      socket.on('end', () => client.end());
      socket.on('error', () => client.destroy());
      socket.on('close', () => open.delete(socket));
      return socket;
    }));
  client.on('data', (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    // Requests may come several at once (keep-alive, pipelining): pass each whole head on.
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD) fail('431 Request Header Fields Too Large');
        return;
      }
      const head = buffered.subarray(0, end + 4);
      buffered = buffered.subarray(end + 4);
      if (!allowedHead(head.toString('latin1')))
        return fail('403 Forbidden', 'DockPeek passes only GET and HEAD requests to this host');
      void connect().then(
        (socket) => socket.write(head),
        (error: unknown) =>
          fail('502 Bad Gateway', `DockPeek could not reach the host: ${describe(error)}`),
      );
    }
  });
  client.on('error', () => {});
  client.on('close', () => {
    open.delete(client);
    void upstream?.then(
      (u) => u.end(),
      () => {},
    );
  });
}
