import {
  ApiContainerSchema,
  ApiImageSchema,
  ApiInspectSchema,
  CONTAINER_ID,
  type ApiContainer,
  type ApiInspect,
} from './api-schema.ts';
import type { DockerClient } from './client.ts';
import type { HostFailure } from './host-failure.ts';

/** Limits for talking to one host. */
export interface ReadOptions {
  /** Deadline for the first answer (GET /_ping): an unreachable or hanging host fails fast. */
  connectTimeoutMs: number;
  /** Total deadline for each later request, body included. */
  readTimeoutMs: number;
  /** Also GET /containers/{id}/json per container, for started time and restart count. */
  inspect: boolean;
  /** Cap of one list answer in bytes (DOCKPEEK_DOCKER_MAX_RESPONSE); default 64 MiB. */
  maxResponseBytes?: number;
}

/** What one host answered: validated API entries, or the coded reason it could not be read. */
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
  | { ok: false; failure: HostFailure };

/**
 * Read every container (running, stopped, created) and the image digests of one host.
 * Read-only: GET /_ping, GET /containers/json, GET /images/json (+ GET inspect with `inspect`).
 */
export async function readHost(client: DockerClient, options: ReadOptions): Promise<HostRead> {
  const ping = await client.ping(options.connectTimeoutMs);
  if (!ping.ok) return ping;
  const [containers, images] = await Promise.all([
    client.getList(
      '/containers/json?all=1',
      'container',
      ApiContainerSchema,
      options.readTimeoutMs,
    ),
    client.getList('/images/json', 'image', ApiImageSchema, options.readTimeoutMs),
  ]);
  if (!containers.ok) return containers;
  if (!images.ok) return images;
  const warnings = [...containers.value.warnings, ...images.value.warnings];
  const digests = new Map<string, string[]>();
  for (const image of images.value.items) {
    digests.set(
      image.Id,
      (image.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')),
    );
  }
  const inspected = options.inspect
    ? await inspectAll(client, containers.value.items, options.readTimeoutMs, warnings)
    : new Map<string, ApiInspect>();
  return { ok: true, containers: containers.value.items, digests, inspected, warnings };
}

const MAX_INSPECT_WARNINGS = 10;

/** Inspect containers a few at a time; one failing inspect is a warning, not a host failure. */
async function inspectAll(
  client: DockerClient,
  containers: ApiContainer[],
  timeoutMs: number,
  warnings: string[],
): Promise<Map<string, ApiInspect>> {
  const result = new Map<string, ApiInspect>();
  const queue = [...containers];
  let failed = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const id = next.Id;
      // Validated by the list schema already; checked again because it becomes a path.
      if (!CONTAINER_ID.test(id)) continue;
      const what = `GET /containers/${id.slice(0, 12)}/json`;
      const answer = await client.getObject(
        `/containers/${id}/json`,
        what,
        ApiInspectSchema,
        timeoutMs,
      );
      if (answer.ok) result.set(id, answer.value);
      else if (++failed <= MAX_INSPECT_WARNINGS)
        warnings.push(`inspect of ${id.slice(0, 12)} failed: ${answer.failure.message}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (failed > MAX_INSPECT_WARNINGS)
    warnings.push(`… and ${failed - MAX_INSPECT_WARNINGS} more inspects failed`);
  return result;
}
