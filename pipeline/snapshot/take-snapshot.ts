import { createDockerClient } from '../docker/client.ts';
import { displayUrl, type HostConfig } from '../docker/hosts.ts';
import { readHost, type ReadOptions } from '../docker/read-host.ts';
import { describeError } from '../errors.ts';
import { mapContainer } from './map-container.ts';
import { resolveOrchestration } from './orchestration.ts';
import type { Container, HostStatus, Snapshot } from './schema.ts';

/** Called as each host finishes, for progress output. */
export type OnHostDone = (status: HostStatus) => void;

/** Read all hosts in parallel; one host failing or hanging never stops the others. */
export async function takeSnapshot(
  hosts: HostConfig[],
  options: ReadOptions,
  onHostDone: OnHostDone = () => {},
): Promise<Snapshot> {
  const takenAt = new Date().toISOString();
  const results = await Promise.all(
    hosts.map(async (host) => {
      const result = await snapshotHost(host, options);
      onHostDone(result.status);
      return result;
    }),
  );
  return {
    takenAt,
    hosts: results.map((r) => r.status),
    containers: results.flatMap((r) => r.containers),
  };
}

async function snapshotHost(
  host: HostConfig,
  options: ReadOptions,
): Promise<{ status: HostStatus; containers: Container[] }> {
  const started = performance.now();
  const base = { name: host.name, url: displayUrl(host.url) };
  const elapsed = () => Math.round(performance.now() - started);
  let read;
  try {
    read = await readHost(createDockerClient(host), options);
  } catch (error) {
    read = { ok: false as const, error: describeError(error) };
  }
  if (!read.ok) {
    const status = {
      ...base,
      ok: false,
      error: read.error,
      containerCount: 0,
      hiddenCount: 0,
      warnings: [],
      durationMs: elapsed(),
    };
    return { status, containers: [] };
  }
  const mapped = read.containers.map((c) =>
    mapContainer(host.name, c, read.digests, read.inspected.get(c.Id)),
  );
  const containers = resolveOrchestration(host.name, mapped);
  const status: HostStatus = {
    ...base,
    ok: true,
    containerCount: mapped.length,
    hiddenCount: mapped.length - containers.length,
    warnings: read.warnings,
    durationMs: elapsed(),
  };
  return { status, containers };
}
