import type Docker from 'dockerode';
import { z } from 'zod';
import { describeError } from '../errors.ts';
import { formatDuration } from '../config/duration.ts';
import {
  ApiContainerSchema,
  ApiImageSchema,
  ApiInspectSchema,
  type ApiContainer,
  type ApiInspect,
} from './api-schema.ts';

/** Limits for talking to one host. */
export interface ReadOptions {
  /** Deadline for the first answer (GET /_ping): an unreachable or hanging host fails fast. */
  connectTimeoutMs: number;
  /** Deadline for each later request. */
  readTimeoutMs: number;
  /** Also GET /containers/{id}/json per container, for started time and restart count. */
  inspect: boolean;
}

/** What one host answered: validated API entries, or the reason it could not be read. */
export type HostRead =
  | {
      ok: true;
      containers: ApiContainer[];
      /** image id → repo digests */
      digests: Map<string, string[]>;
      inspected: Map<string, ApiInspect>;
      /** Entries the API returned that did not validate, described. */
      warnings: string[];
    }
  | { ok: false; error: string };

/**
 * Read every container (running, stopped, created) and the image digests of one host.
 * Read-only: GET /_ping, GET /containers/json, GET /images/json (+ GET inspect with `inspect`).
 */
export async function readHost(docker: Docker, options: ReadOptions): Promise<HostRead> {
  try {
    await withDeadline('GET /_ping', options.connectTimeoutMs, (signal) =>
      // @types/dockerode omits ping's options, which dockerode does accept.
      (docker as unknown as PingOnly).ping({ abortSignal: signal }),
    );
    const [rawContainers, rawImages] = await Promise.all([
      withDeadline('GET /containers/json', options.readTimeoutMs, (signal) =>
        docker.listContainers({ all: true, abortSignal: signal }),
      ),
      withDeadline('GET /images/json', options.readTimeoutMs, (signal) =>
        docker.listImages({ abortSignal: signal }),
      ),
    ]);
    const warnings: string[] = [];
    const containers = validateEach(rawContainers, ApiContainerSchema, 'container', warnings);
    const digests = new Map<string, string[]>();
    for (const image of validateEach(rawImages, ApiImageSchema, 'image', warnings)) {
      digests.set(
        image.Id,
        (image.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')),
      );
    }
    const inspected = options.inspect
      ? await inspectAll(docker, containers, options.readTimeoutMs, warnings)
      : new Map<string, ApiInspect>();
    return { ok: true, containers, digests, inspected, warnings };
  } catch (error) {
    return { ok: false, error: explainFailure(error) };
  }
}

/** Inspect containers a few at a time; one failing inspect is a warning, not a host failure. */
async function inspectAll(
  docker: Docker,
  containers: ApiContainer[],
  timeoutMs: number,
  warnings: string[],
): Promise<Map<string, ApiInspect>> {
  const result = new Map<string, ApiInspect>();
  const queue = [...containers];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const id = next.Id;
      try {
        const raw = await withDeadline(
          `GET /containers/${id.slice(0, 12)}/json`,
          timeoutMs,
          (signal) => docker.getContainer(id).inspect({ abortSignal: signal }),
        );
        const parsed = ApiInspectSchema.safeParse(raw);
        if (parsed.success) result.set(id, parsed.data);
      } catch (error) {
        warnings.push(`inspect of ${id.slice(0, 12)} failed: ${explainFailure(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return result;
}

/** Keep the entries that validate; describe the others as warnings. */
function validateEach<T>(
  raw: unknown,
  schema: z.ZodType<T>,
  kind: string,
  warnings: string[],
): T[] {
  if (!Array.isArray(raw))
    throw new Error(`Docker API returned a ${typeof raw} where a ${kind} list was expected`);
  const valid: T[] = [];
  raw.forEach((entry, index) => {
    const parsed = schema.safeParse(entry);
    if (parsed.success) valid.push(parsed.data);
    else
      warnings.push(
        `${kind} #${index} in the API response is malformed and was skipped: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
      );
  });
  return valid;
}

export class DeadlineError extends Error {}

interface PingOnly {
  ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
}

/** Run one request with its own deadline; a host that accepts but never answers cannot hang us. */
export async function withDeadline<T>(
  what: string,
  ms: number,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const message = `no answer to ${what} within ${formatDuration(ms)}`;
  let timer: NodeJS.Timeout | undefined;
  // Raced, not just aborted: docker-modem never settles a request whose body is cut short.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError(message));
    }, ms);
  });
  try {
    return await Promise.race([request(controller.signal), deadline]);
  } catch (error) {
    if (controller.signal.aborted) throw new DeadlineError(message);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Turn socket, TLS, SSH and HTTP failures into one precise line. */
export function explainFailure(error: unknown): string {
  if (error instanceof DeadlineError) return error.message;
  const e = error as {
    code?: string;
    address?: string;
    port?: number;
    statusCode?: number;
    json?: { message?: string };
    reason?: string;
  };
  const where = e.address ? ` (${e.address}${e.port ? `:${e.port}` : ''})` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused${where}`;
    case 'ENOENT':
      return `socket not found${where}`;
    case 'EACCES':
      return `permission denied${where}: the user running dockpeek-security cannot open the Docker socket`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name not found: ${describeError(error)}`;
    case 'ECONNRESET':
      return `connection reset by the host${where}`;
  }
  if (typeof e.statusCode === 'number') {
    const detail = e.json?.message ?? e.reason ?? describeError(error);
    const proxyHint =
      e.statusCode === 403 ? ' (a docker-socket-proxy needs CONTAINERS=1 IMAGES=1)' : '';
    return `Docker API answered HTTP ${e.statusCode}: ${detail}${proxyHint}`;
  }
  return describeError(error);
}
