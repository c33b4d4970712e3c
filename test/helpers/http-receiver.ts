import http from 'node:http';
import type net from 'node:net';

/**
 * How the receiver answers a path: 200, 500, 500 echoing the request's path and Authorization
 * (as careless servers do), 401 echoing the whole request (every header, the body and the Basic
 * credentials decoded), never (held), closing mid-answer, or endlessly.
 */
export type ReceiverMode = 'ok' | 'fail' | 'echo' | 'echo-all' | 'hold' | 'close' | 'endless';

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  mode: ReceiverMode;
  /** The answer it got: its status once the whole answer was written, else undefined. */
  answered?: number;
  /** Bytes of answer body written (for the endless mode). */
  bytesSent: number;
}

/** A local HTTP server on 127.0.0.1 that records requests: the notification receiver of tests. */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Set how a path (or every path, '*') is answered from now on. */
  setMode(path: string, mode: ReceiverMode): void;
  /** Requests to a path whose 2xx answer was written whole: the ones a sender saw succeed. */
  delivered(path?: string): ReceivedRequest[];
  /** Resolve once `count` requests (to `path`, if given) have arrived. */
  waitForRequests(count: number, path?: string): Promise<void>;
  /** Answer held requests with `status`, or cut their connections when none is given. */
  release(status?: number): void;
  close(): Promise<void>;
}

/** Start a receiver on a free port. */
export async function startReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const modes = new Map<string, ReceiverMode>();
  const held: Array<{ record: ReceivedRequest; res: http.ServerResponse }> = [];
  const waiters: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const answer = (
    record: ReceivedRequest,
    res: http.ServerResponse,
    status: number,
    text = status < 300 ? 'ok' : 'boom',
  ) => {
    res.on('finish', () => (record.answered = status));
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const mode = modes.get(path) ?? modes.get('*') ?? 'ok';
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        mode,
        bytesSent: 0,
      };
      requests.push(record);
      for (const wake of waiters.splice(0)) wake();
      if (mode === 'ok') answer(record, res, 200);
      else if (mode === 'fail') answer(record, res, 500);
      else if (mode === 'echo')
        answer(record, res, 500, `bad request to ${path} with ${req.headers.authorization}`);
      else if (mode === 'echo-all') answer(record, res, 401, echoAll(record));
      else if (mode === 'hold') held.push({ record, res });
      else if (mode === 'close') {
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write('partial');
        res.socket?.destroy();
      } else streamForever(record, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const matching = (path?: string) => requests.filter((r) => path === undefined || r.path === path);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setMode: (path, mode) => void modes.set(path, mode),
    delivered: (path) => matching(path).filter((r) => r.answered !== undefined && r.answered < 300),
    async waitForRequests(count, path) {
      while (matching(path).length < count) await new Promise<void>((r) => waiters.push(r));
    },
    release(status) {
      for (const { record, res } of held.splice(0)) {
        if (status === undefined) res.socket?.destroy();
        else answer(record, res, status);
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The whole request back, credentials first, as a debugging endpoint would show it. */
function echoAll(record: ReceivedRequest): string {
  const auth = String(record.headers.authorization ?? '');
  const basic = /^Basic (.+)$/i.exec(auth)?.[1];
  const who = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
  return [
    `unauthorised: Authorization: ${auth} (credentials ${who})`,
    `${record.method} ${record.path}`,
    JSON.stringify(record.headers),
    record.body,
  ].join('\n');
}

/** An answer that never ends, written as fast as the client reads it. */
function streamForever(record: ReceivedRequest, res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 120);
  const pump = () => {
    let more = true;
    while (!res.destroyed && more) {
      more = res.write(chunk);
      record.bytesSent += chunk.length;
    }
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
}
