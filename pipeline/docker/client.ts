import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { HostConfig } from './hosts.ts';
import {
  classifyError,
  cleanRemoteText,
  fail,
  HostFailureError,
  type Result,
} from './host-failure.ts';
import { sendGet } from './http-get.ts';
import {
  checkHeaders,
  parseJsonBytes,
  readJsonList,
  readSmallBody,
  type ListRead,
} from './read-response.ts';
import { createTransport } from './transport.ts';

/** The caps every answer is read under. */
export const LIMITS = {
  /** A whole list answer, unless DOCKPEEK_DOCKER_MAX_RESPONSE says otherwise. */
  maxResponseBytes: 64 * 1024 * 1024,
  /** One entry of a list answer. */
  maxElementBytes: 1024 * 1024,
  /** Entries of one list answer: far above any real host, far below what memory allows. */
  maxEntries: 100_000,
  /** One object answer: an inspect, a registry digest. */
  maxObjectBytes: 1024 * 1024,
  /** A ping or an error body. */
  maxSmallBytes: 64 * 1024,
};

const SMALL = { bytes: LIMITS.maxSmallBytes };
const OBJECT = { bytes: LIMITS.maxObjectBytes };

/** How to reach one host. */
export interface ClientOptions {
  /** ssh handshake deadline (each request has its own total deadline too). */
  connectTimeoutMs: number;
  /** Cap of a whole list answer; default LIMITS.maxResponseBytes. */
  maxResponseBytes?: number;
}

/** A small, read-only Docker API client: GET only, every answer capped and validated. */
export interface DockerClient {
  /** GET /_ping. */
  ping(deadlineMs: number): Promise<Result<void>>;
  /** A JSON array answer, read entry by entry while it streams. */
  getList<T>(
    path: string,
    kind: string,
    schema: z.ZodType<T>,
    deadlineMs: number,
  ): Promise<Result<ListRead<T>>>;
  /** A JSON object answer of at most LIMITS.maxObjectBytes. `what` names it in messages. */
  getObject<T>(
    path: string,
    what: string,
    schema: z.ZodType<T>,
    deadlineMs: number,
  ): Promise<Result<T>>;
  /** End the host's ssh connection, if any; the client is unusable afterwards. */
  close(): void;
}

/** Build the client for one configured host; the URL scheme picks the transport. */
export function createDockerClient(
  host: HostConfig,
  env: NodeJS.ProcessEnv,
  options: ClientOptions,
): DockerClient {
  const transport = createTransport(host, env, options.connectTimeoutMs);
  const body = {
    bytes: options.maxResponseBytes ?? LIMITS.maxResponseBytes,
    setting: 'DOCKPEEK_DOCKER_MAX_RESPONSE',
  };
  const get = <T>(
    path: string,
    what: string,
    deadlineMs: number,
    consume: (res: IncomingMessage) => Promise<T>,
  ) =>
    attempt(() =>
      sendGet(transport, { path, what, deadlineMs }, async (res) => {
        if (res.statusCode !== 200) await rejectStatus(res, what, path);
        return consume(res);
      }),
    );
  return {
    ping: (deadlineMs) =>
      get('/_ping', 'GET /_ping', deadlineMs, async (res) => {
        checkHeaders(res, 'GET /_ping', { json: false, cap: SMALL });
        await readSmallBody(res, 'GET /_ping', SMALL);
      }),
    getList: (path, kind, schema, deadlineMs) => {
      const what = `GET ${path.split('?')[0]}`;
      return get(path, what, deadlineMs, (res) => {
        checkHeaders(res, what, { json: true, cap: body });
        return readJsonList(res, what, kind, schema, {
          body,
          maxElementBytes: LIMITS.maxElementBytes,
          maxEntries: LIMITS.maxEntries,
        });
      });
    },
    getObject: (path, what, schema, deadlineMs) =>
      get(path, what, deadlineMs, async (res) => {
        checkHeaders(res, what, { json: true, cap: OBJECT });
        const bytes = await readSmallBody(res, what, OBJECT);
        const parsed = schema.safeParse(parseJsonBytes(bytes, `the answer to ${what}`));
        if (!parsed.success)
          fail(
            'invalid_response',
            `the answer to ${what} is not the JSON the Docker API documents`,
          );
        return parsed.data;
      }),
    close: () => transport.close(),
  };
}

/** An HTTP error status as a failure: the daemon's own message, or the status text. */
async function rejectStatus(res: IncomingMessage, what: string, path: string): Promise<never> {
  let detail: string | undefined;
  try {
    const bytes = await readSmallBody(res, what, SMALL);
    const message = (JSON.parse(bytes.toString('utf8')) as { message?: unknown }).message;
    if (typeof message === 'string') detail = cleanRemoteText(message);
  } catch {
    // Not JSON (a proxy's HTML page): the status text says enough.
  }
  detail ||= cleanRemoteText(res.statusMessage ?? '') || 'no reason given';
  const status = res.statusCode ?? 0;
  const needs = path.startsWith('/distribution/') ? 'DISTRIBUTION=1' : 'CONTAINERS=1 IMAGES=1';
  const hint = status === 403 ? ` (a docker-socket-proxy needs ${needs})` : '';
  throw new HostFailureError({
    code: 'http_error',
    status,
    detail,
    message: `Docker API answered HTTP ${status}: ${detail}${hint}`,
  });
}

/** Run a request and turn any failure into data. */
async function attempt<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, failure: classifyError(error) };
  }
}
