import type { SnapshotFlags } from '../config/option-table.ts';
import type { Reporter } from '../reporter.ts';
import { formatDuration } from '../config/duration.ts';
import { SETTINGS, readSetting, readSwitch } from '../config/settings.ts';
import { readHostConfigs } from '../docker/hosts.ts';
import type { ReadOptions } from '../docker/read-host.ts';
import type { HostStatus, Snapshot } from '../snapshot/schema.ts';
import { takeSnapshot } from '../snapshot/take-snapshot.ts';
import type { Store } from '../store/db.ts';

export type { SnapshotFlags };

const MAX_WARNING_LINES = 25;

/** Hosts and read limits from flags and environment; throws config_invalid with the source named. */
export function resolveSnapshotConfig(flags: SnapshotFlags, env: NodeJS.ProcessEnv) {
  const hosts = readHostConfigs(flags.dockerHost ? { ...env, DOCKER_HOST: flags.dockerHost } : env);
  const options: ReadOptions = {
    connectTimeoutMs: readSetting(SETTINGS.connectTimeout, flags.connectTimeout, env),
    readTimeoutMs: readSetting(SETTINGS.dockerTimeout, flags.dockerTimeout, env),
    inspect: flags.inspect ?? readSwitch(env, 'DOCKPEEK_INSPECT', false),
    maxResponseBytes: readSetting(SETTINGS.dockerMaxResponse, undefined, env),
  };
  return { hosts, options };
}

/** Read every host, save the snapshot to db.json, report hosts and label warnings. */
export async function runSnapshotStage(
  store: Store,
  config: ReturnType<typeof resolveSnapshotConfig>,
  out: Reporter,
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

function describeHost(status: HostStatus, out: Reporter): string {
  const time = out.dim(formatDuration(status.durationMs));
  if (!status.ok) {
    const code = status.errorCode ? ` [${status.errorCode}]` : '';
    return `  ${out.bad('✗')} ${status.name} ${out.dim(status.url)}: ${status.error}${code} ${time}`;
  }
  const hidden = status.hiddenCount ? ` (${status.hiddenCount} hidden)` : '';
  return `  ${out.ok('✓')} ${status.name} ${out.dim(status.url)}: ${status.containerCount} containers${hidden} ${time}`;
}

/** Label problems, capped so a fleet of 1,000 does not flood the terminal. */
function reportWarnings(snapshot: Snapshot, out: Reporter): void {
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
