import http from 'node:http';
import type { Socket } from 'node:net';
import { createGzip } from 'node:zlib';

/** How the fake answers one endpoint. */
export type Answer = (res: http.ServerResponse) => void | Promise<void>;

/** A Docker API on a unix socket that answers /_ping, the lists and inspects as told. */
export interface FakeHost {
  url: string;
  /** Every request line, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Start a fake host; unset endpoints answer as an empty, well-behaved daemon would. */
export async function startFakeHost(
  socket: string,
  answers: { containers: Answer; images?: Answer; inspect?: Answer; distribution?: Answer },
): Promise<FakeHost> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const path = (req.url ?? '').split('?')[0]!;
    res.on('error', () => {});
    if (path === '/_ping') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('OK');
    } else if (path === '/containers/json') void answers.containers(res);
    else if (path === '/images/json') void (answers.images ?? json([]))(res);
    else if (/^\/containers\/[^/]+\/json$/.test(path) && answers.inspect) void answers.inspect(res);
    else if (path.startsWith('/distribution/') && answers.distribution)
      void answers.distribution(res);
    else json({ message: `page not found: ${path}` }, 404)(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    url: `unix://${socket}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A JSON answer, as dockerd writes it. */
export function json(value: unknown, status = 200): Answer {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
}

/**
 * A body written chunk by chunk as the client reads it (backpressure respected), so the fake
 * never holds more than a chunk; it stops when the client goes away.
 */
export function streamed(headers: http.OutgoingHttpHeaders, body: () => Iterable<Buffer>): Answer {
  return async (res) => {
    res.writeHead(200, headers);
    for (const chunk of body()) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end();
  };
}

function drainedOrClosed(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** One list entry shaped like dockerd 20.10's (~1.3 KB), with labels a homelab really has. */
export function containerEntry(i: number, extra: Record<string, unknown> = {}): object {
  const hex = (seed: string) => Buffer.from(seed.padEnd(32, '0')).toString('hex').slice(0, 64);
  return {
    Id: hex(`container-${i}`),
    Names: [`/app-${i}`],
    Image: `registry.example.com/team/app-${i % 50}:1.${i % 7}`,
    ImageID: `sha256:${hex(`image-${i % 50}`)}`,
    Command: '/entrypoint.sh --serve --port 8080',
    Created: 1764100000 + i,
    Ports: [{ IP: '0.0.0.0', PrivatePort: 8080, PublicPort: 10000 + (i % 5000), Type: 'tcp' }],
    Labels: {
      'com.docker.compose.project': `stack-${i % 20}`,
      'com.docker.compose.service': `app-${i}`,
      'com.docker.compose.config-hash': hex(`config-${i}`),
      'traefik.enable': 'true',
      [`traefik.http.routers.app-${i}.rule`]: `Host(\`app-${i}.home.example.com\`)`,
      [`traefik.http.services.app-${i}.loadbalancer.server.port`]: '8080',
      'org.opencontainers.image.source': 'https://github.com/example/app',
    },
    State: 'running',
    Status: 'Up 3 hours (healthy)',
    HostConfig: { NetworkMode: `stack-${i % 20}_default` },
    NetworkSettings: {
      Networks: {
        [`stack-${i % 20}_default`]: {
          NetworkID: hex(`network-${i % 20}`),
          EndpointID: hex(`endpoint-${i}`),
          Gateway: '172.18.0.1',
          IPAddress: `172.18.${(i >> 8) & 255}.${i & 255}`,
          IPPrefixLen: 16,
          MacAddress: '02:42:ac:12:00:03',
        },
      },
    },
    Mounts: [{ Type: 'bind', Source: `/srv/app-${i}`, Destination: '/data', Mode: 'rw', RW: true }],
    ...extra,
  };
}

/** About 1 MiB of entries, each followed by a comma: repeat it to stream any size. */
export function entryBatch(): Buffer {
  const entries: string[] = [];
  for (let i = 0, size = 0; size < 1024 * 1024; i++) {
    const text = JSON.stringify(containerEntry(i));
    entries.push(text);
    size += text.length + 1;
  }
  return Buffer.from(`${entries.join(',')},`);
}

/** gzip of "[" + `mib` MiB of spaces + "]": a small body that inflates enormously. */
export async function gzipBomb(mib: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  gzip.write('[');
  for (let i = 0; i < mib; i++)
    if (!gzip.write(spaces)) await new Promise((r) => gzip.once('drain', r));
  gzip.end(']');
  await new Promise((resolve) => gzip.once('end', resolve));
  return Buffer.concat(out);
}
