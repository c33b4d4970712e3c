import type { Command } from 'commander';
import { formatDuration } from '../../config/duration.ts';
import { resolveDataDir, resolveDuration } from '../../config/settings.ts';
import { readHostConfigs } from '../../docker/hosts.ts';
import { EXIT } from '../../errors.ts';
import type { HostStatus, Snapshot } from '../../snapshot/schema.ts';
import { takeSnapshot } from '../../snapshot/take-snapshot.ts';
import { archiveSnapshot } from '../../store/archive.ts';
import { openStore } from '../../store/db.ts';
import { createOutput, type Output } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

interface SnapshotFlags {
  dataDir?: string;
  dockerHost?: string;
  connectTimeout?: string;
  timeout?: string;
  inspect?: boolean;
  quiet?: boolean;
}

const MAX_WARNING_LINES = 25;

/** `dockpeek-security snapshot`: read every host into db.json and the archive. */
export function registerSnapshot(program: Command, setExit: (code: number) => void): void {
  program
    .command('snapshot')
    .description(
      'Read every container on every Docker host into the store (read-only: GET/HEAD only)',
    )
    .option(
      '--data-dir <dir>',
      'where db.json and the archive live [env DOCKPEEK_DATA_DIR, default ./data]',
    )
    .option(
      '--docker-host <url>',
      'the first host [env DOCKER_HOST, default unix:///var/run/docker.sock]',
    )
    .option(
      '--connect-timeout <duration>',
      "deadline for a host's first answer [env DOCKPEEK_DOCKER_CONNECT_TIMEOUT, default 5s]",
    )
    .option(
      '--timeout <duration>',
      'deadline for each later request [env DOCKPEEK_DOCKER_TIMEOUT, default 30s]',
    )
    .option(
      '--inspect',
      'also inspect each container for started time and restart count (1 request per container) [env DOCKPEEK_INSPECT=1]',
    )
    .option('-q, --quiet', 'print only warnings and errors')
    .addHelpText(
      'after',
      '\nExtra hosts: DOCKER_HOST_<N>_URL and DOCKER_HOST_<N>_NAME (N = 1, 2, …); DOCKER_HOST_NAME names the first.\n' +
        'Exit codes: 0 all hosts read, 1 configuration error, 2 saved but a host was unreachable.',
    )
    .action(async (flags: SnapshotFlags) => {
      const env = process.env;
      const out = createOutput(process.stderr, env, flags.quiet);
      const hosts = readHostConfigs(
        flags.dockerHost ? { ...env, DOCKER_HOST: flags.dockerHost } : env,
      );
      const options = {
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
      };
      const store = await openStore(resolveDataDir(flags.dataDir, env));
      reportRecovery(store, out);

      out.info(`snapshot: reading ${hosts.length} host(s)`);
      const snapshot = await takeSnapshot(hosts, options, (status) =>
        out.info(describeHost(status, out)),
      );
      store.db.data = { ...store.db.data, snapshot };
      await store.db.write();
      const archived = await archiveSnapshot(store.dataDir, snapshot);

      reportWarnings(snapshot, out);
      const reachable = snapshot.hosts.filter((h) => h.ok).length;
      out.info(
        `snapshot: ${snapshot.containers.length} containers from ${reachable}/${snapshot.hosts.length} hosts saved to ${store.file}; archived as ${archived}`,
      );
      if (reachable < snapshot.hosts.length) {
        out.warn(
          `${snapshot.hosts.length - reachable} host(s) unreachable; their last good data stays in the archive`,
        );
        setExit(EXIT.degraded);
      }
    });
}

function describeHost(status: HostStatus, out: Output): string {
  const time = out.dim(formatDuration(status.durationMs));
  if (!status.ok)
    return `  ${out.bad('✗')} ${status.name} ${out.dim(status.url)}: ${status.error} ${time}`;
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
