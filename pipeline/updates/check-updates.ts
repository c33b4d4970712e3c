import { createDataRecord, ownValue } from '../data-keys.ts';
import { createDockerClient, type DockerClient } from '../docker/client.ts';
import type { HostConfig } from '../docker/hosts.ts';
import { oneLine } from '../safe-text.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { checkRef, digestsFor, uncheckable } from './check-ref.ts';
import type { UpdateRecord } from './schema.ts';

export interface UpdateOptions {
  now: Date;
  /** Results are reused this long (DOCKPEEK_UPDATE_TTL), unless the local digests changed. */
  ttlMs: number;
  timeoutMs: number;
  concurrency: number;
  force: boolean;
}

export interface UpdateRun {
  records: Record<string, UpdateRecord>;
  /** Registry questions asked this run (GET /distribution). */
  requests: number;
  reused: number;
}

/**
 * Check every tagged reference once (the first reachable host that runs it asks its own daemon),
 * reusing fresh results. A registry or host that fails gives `unknown` with the reason.
 */
export async function checkUpdates(
  snapshot: Snapshot,
  hosts: HostConfig[],
  previous: Record<string, UpdateRecord>,
  options: UpdateOptions,
): Promise<UpdateRun> {
  const okHosts = new Set(snapshot.hosts.filter((h) => h.ok).map((h) => h.name));
  const urls = new Map(snapshot.hosts.map((h) => [h.name, h.url]));
  const refs = new Map<string, { host: string; digests: string[] }>();
  for (const c of [...snapshot.containers].sort(
    (a, b) =>
      Number(okHosts.has(b.host)) - Number(okHosts.has(a.host)) || a.host.localeCompare(b.host),
  )) {
    if (!refs.has(c.image))
      refs.set(c.image, { host: c.host, digests: digestsFor(c.image, c.repoDigests) });
  }
  const records = createDataRecord<UpdateRecord>();
  const queue: Array<[string, { host: string; digests: string[] }]> = [];
  let reused = 0;
  for (const [ref, info] of refs) {
    const base = {
      ref,
      host: info.host,
      checkedAt: options.now.toISOString(),
      localDigests: info.digests,
    };
    const reason = uncheckable(ref, info.digests);
    if (reason) records[ref] = { ...base, status: 'unknown', reason };
    else if (!options.force && isFresh(ownValue(previous, ref), info.digests, options)) {
      records[ref] = ownValue(previous, ref)!;
      reused += 1;
    } else queue.push([ref, info]);
  }

  let requests = 0;
  // One client per host for the whole run: an ssh host keeps one connection.
  const clients = new Map<string, DockerClient>();
  const client = (host: string) => {
    if (!clients.has(host)) {
      const config = hosts.find((h) => h.name === host) ?? { name: host, url: urls.get(host)! };
      clients.set(
        host,
        createDockerClient(config, process.env, { connectTimeoutMs: options.timeoutMs }),
      );
    }
    return clients.get(host)!;
  };
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [ref, info] = next;
      requests += 1;
      const result = await checkRef(client(info.host), ref, info.digests, options.timeoutMs).catch(
        // Not expected (checkRef returns failures as data); its words are cleaned all the same.
        (error: Error) => ({ status: 'unknown' as const, reason: oneLine(String(error.message)) }),
      );
      records[ref] = {
        ref,
        host: info.host,
        checkedAt: new Date().toISOString(),
        localDigests: info.digests,
        ...result,
      };
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    for (const c of clients.values()) c.close();
  }
  return { records, requests, reused };
}

const RETRY_UNKNOWN_MS = 30 * 60_000;

/** Reuse a result within its TTL (an unknown one for at most 30 min) while the local image is the same. */
function isFresh(
  record: UpdateRecord | undefined,
  digests: string[],
  { now, ttlMs }: UpdateOptions,
): boolean {
  if (!record) return false;
  const same =
    record.localDigests.length === digests.length &&
    record.localDigests.every((d, i) => d === digests[i]);
  const ttl = record.status === 'unknown' ? Math.min(ttlMs, RETRY_UNKNOWN_MS) : ttlMs;
  return same && Date.parse(record.checkedAt) + ttl > now.getTime();
}
