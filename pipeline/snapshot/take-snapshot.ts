import { createDockerClient, type DockerClient } from '../docker/client.ts';
import { classifyError } from '../docker/host-failure.ts';
import { displayUrl, type HostConfig } from '../docker/hosts.ts';
import { readHost, type HostRead, type ReadOptions } from '../docker/read-host.ts';
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
  let client: DockerClient | undefined;
  let read: HostRead;
  try {
    client = createDockerClient(host, process.env, options);
    read = await readHost(client, options);
  } catch (error) {
    // readHost returns failures as data; this is the net under a bug, so one host still fails alone.
    read = { ok: false, failure: classifyError(error) };
  } finally {
    client?.close();
  }
  if (!read.ok) {
    const status: HostStatus = {
      ...base,
      ok: false,
      error: read.failure.message,
      errorCode: read.failure.code,
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
