import type { Command } from 'commander';

/** Options of the snapshot stage, on `snapshot` and `refresh`. */
export function addSnapshotOptions(command: Command): Command {
  return command
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
      'deadline for each later Docker request [env DOCKPEEK_DOCKER_TIMEOUT, default 30s]',
    )
    .option(
      '--inspect',
      'also inspect each container for started time and restart count (1 request per container) [env DOCKPEEK_INSPECT=1]',
    );
}

/** Options of the scan stage, on `scan` and `refresh`. */
export function addScanOptions(command: Command): Command {
  return command
    .option('--workers <n>', 'parallel trivy processes [env TRIVY_SCAN_WORKERS, default 3]')
    .option(
      '--scan-timeout <duration>',
      'per-image limit, passed to trivy and enforced [env TRIVY_SCAN_TIMEOUT, default 150s]',
    )
    .option(
      '--failed-ttl <duration>',
      'do not retry a failed image before [env TRIVY_FAILED_TTL, default 1h]',
    )
    .option(
      '--result-ttl <duration>',
      'reuse a scan result for [env TRIVY_RESULT_TTL, default 24h]',
    )
    .option('--force', 'rescan every image, ignoring both TTLs');
}

/** --wait, on every command that writes the store. */
export function addLockOptions(command: Command): Command {
  return command.option(
    '--wait [duration]',
    'if another run holds the data dir, wait for it (default up to 30m) instead of exiting',
  );
}
