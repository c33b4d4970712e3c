import type { ClientRequest, IncomingMessage } from 'node:http';
import { formatDuration } from '../config/duration.ts';
import { classifyError, HostFailureError } from './host-failure.ts';
import type { OpenedSocket, Transport } from './transport.ts';

// Not `import http from 'node:http'`: from ESM that builds a facade that runs every lazy getter
// of the module, which loads undici, Node's fetch, on every run (nodejs/node#57649: +100 ms of
// CPU here, bench/results/cli-start.md). The plain module object has what we use.
const http = process.getBuiltinModule('node:http');

/** One GET: the path, its total deadline, and what to call it in messages. */
export interface GetRequest {
  path: string;
  deadlineMs: number;
  /** "GET /containers/json": no query string, no full id. */
  what: string;
}

/**
 * Send one GET and hand the response to `consume`. Connecting, the answer and reading the body
 * share one total deadline (not an idle one: a slow drip cannot stretch it), at which the socket
 * is destroyed. Every failure comes out as a HostFailureError.
 */
export async function sendGet<T>(
  transport: Transport,
  request: GetRequest,
  consume: (res: IncomingMessage) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let opened: OpenedSocket | undefined;
  let req: ClientRequest | undefined;
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const within = `within ${formatDuration(request.deadlineMs)}`;
      const message = answered
        ? `the answer to ${request.what} was not complete ${within}`
        : `no answer to ${request.what} ${within}`;
      reject(new HostFailureError({ code: 'timeout', message }));
      controller.abort();
    }, request.deadlineMs);
  });
  const exchange = async () => {
    opened = await transport.open(controller.signal);
    const socket = opened.socket;
    // The deadline passed while the socket was opening: nothing else will close it.
    if (controller.signal.aborted) socket.destroy();
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      req = http.request(
        {
          createConnection: () => socket as never,
          method: 'GET',
          path: request.path,
          // No Accept-Encoding, ever: an encoded answer is refused unread.
          headers: { Host: transport.hostHeader, Accept: 'application/json' },
          maxHeaderSize: 16 * 1024,
        },
        resolve,
      );
      req.on('error', reject);
      req.end();
    });
    answered = true;
    return consume(res);
  };
  try {
    return await Promise.race([exchange(), deadline]);
  } catch (error) {
    const failure = classifyError(error);
    // A stream that ended early says less than the remote command's own stderr.
    const better = ['connection_reset', 'host_error'].includes(failure.code)
      ? opened?.explain?.()
      : undefined;
    throw new HostFailureError(better ?? failure);
  } finally {
    clearTimeout(timer);
    controller.abort();
    req?.destroy();
    opened?.socket.destroy();
  }
}
