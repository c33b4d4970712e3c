import type { Output } from '../cli/output.ts';
import { formatDuration } from '../config/duration.ts';
import { resolveDuration } from '../config/settings.ts';
import { parseByteSize } from '../docker/byte-size.ts';
import { LIMITS } from '../docker/client.ts';
import { readHostConfigs } from '../docker/hosts.ts';
import { DockpeekError } from '../errors.ts';
import type { ReadOptions } from '../docker/read-host.ts';
import type { HostStatus, Snapshot } from '../snapshot/schema.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import type { Store } from '../store/db.ts';

/** Flags shared by `snapshot` and `refresh`. */
export interface SnapshotFlags {
  dockerHost?: string;
  connectTimeout?: string;
  timeout?: string;
  inspect?: boolean;
}

const MAX_WARNING_LINES = 25;

/** Hosts and read limits from flags and environment; throws config_invalid with the source named. */
export function resolveSnapshotConfig(flags: SnapshotFlags, env: NodeJS.ProcessEnv) {
  const hosts = readHostConfigs(flags.dockerHost ? { ...env, DOCKER_HOST: flags.dockerHost } : env);
  const options: ReadOptions = {
    connectTimeoutMs: resolveDuration(
      { flag: '--connect-timeout', value: flags.connectTimeout },
      'DOCKPEEK_DOCKER_CONNECT_TIMEOUT',
      env,
      '5s',
    ),
    readTimeoutMs: resolveDuration(
      { flag: '--timeout', value: flags.timeout },
      'DOCKPEEK_DOCKER_TIMEOUT',
      env,
      '30s',
    ),
    inspect: flags.inspect ?? ['1', 'true'].includes(env.DOCKPEEK_INSPECT ?? ''),
    maxResponseBytes: resolveMaxResponse(env),
  };
  return { hosts, options };
}

const MIN_RESPONSE = 1024 ** 2;
const MAX_RESPONSE = 1024 ** 3;

/** DOCKPEEK_DOCKER_MAX_RESPONSE: bytes (or 64MiB, 1GiB) one list answer may take, 1 MiB..1 GiB. */
function resolveMaxResponse(env: NodeJS.ProcessEnv): number {
  const value = env.DOCKPEEK_DOCKER_MAX_RESPONSE;
  if (!value) return LIMITS.maxResponseBytes;
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < MIN_RESPONSE || bytes > MAX_RESPONSE) {
    throw new DockpeekError(
      'config_invalid',
      `DOCKPEEK_DOCKER_MAX_RESPONSE=${JSON.stringify(value)} is not a size from 1 MiB to 1 GiB`,
      'Use bytes (67108864) or a unit: 64MiB, 256MiB, 1GiB. The default, 64MiB, holds ~50,000 containers.',
    );
  }
  return bytes;
}

/** Read every host, save the snapshot to db.json, report hosts and label warnings. */
export async function runSnapshotStage(
  store: Store,
  config: ReturnType<typeof resolveSnapshotConfig>,
  out: Output,
): Promise<{ snapshot: Snapshot; degraded: boolean }> {
  out.info(`snapshot: reading ${config.hosts.length} host(s)`);
  const snapshot = await takeSnapshot(config.hosts, config.options, (status) =>
    out.info(describeHost(status, out)),
  );
  store.db.data = { ...store.db.data, snapshot };
  await store.db.write();
  reportWarnings(snapshot, out);
  const reachable = snapshot.hosts.filter((h) => h.ok).length;
  out.info(
    `snapshot: ${snapshot.containers.length} containers from ${reachable}/${snapshot.hosts.length} hosts saved to ${store.file}`,
  );
  if (reachable < snapshot.hosts.length) {
    out.warn(
      `${snapshot.hosts.length - reachable} host(s) unreachable; their last good data stays in the archive`,
    );
  }
  return { snapshot, degraded: reachable < snapshot.hosts.length };
}

function describeHost(status: HostStatus, out: Output): string {
  const time = out.dim(formatDuration(status.durationMs));
  if (!status.ok) {
    const code = status.errorCode ? ` [${status.errorCode}]` : '';
    return `  ${out.bad('✗')} ${status.name} ${out.dim(status.url)}: ${status.error}${code} ${time}`;
  }
  const hidden = status.hiddenCount ? ` (${status.hiddenCount} hidden)` : '';
  return `  ${out.ok('✓')} ${status.name} ${out.dim(status.url)}: ${status.containerCount} containers${hidden} ${time}`;
}

/** Label problems, capped so a fleet of 1,000 does not flood the terminal. */
function reportWarnings(snapshot: Snapshot, out: Output): void {
  const lines = [
    ...snapshot.hosts.flatMap((h) => h.warnings.map((w) => `${h.name}: ${w}`)),
    ...snapshot.containers.flatMap((c) =>
      c.orchestration.warnings.map((w) => `${c.host}/${c.name}: ${w}`),
    ),
  ];
  for (const line of lines.slice(0, MAX_WARNING_LINES)) out.warn(line);
  if (lines.length > MAX_WARNING_LINES) {
    out.warn(
      `… and ${lines.length - MAX_WARNING_LINES} more; \`dockpeek-security export\` lists them all`,
    );
  }
}
