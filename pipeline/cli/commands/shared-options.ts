import type { Command } from 'commander';
import { SETTINGS, helpFor } from '../../config/settings.ts';

/** Options of the snapshot stage, on `snapshot` and `refresh`. */
export function addSnapshotOptions(command: Command): Command {
  return command
    .option(
      '--docker-host <url>',
      'the first host [env DOCKER_HOST, default unix:///var/run/docker.sock]',
    )
    .option('--connect-timeout <duration>', helpFor(SETTINGS.connectTimeout))
    .option('--timeout <duration>', helpFor(SETTINGS.dockerTimeout))
    .option(
      '--inspect',
      'also inspect each container for started time and restart count (1 request per container) [env DOCKPEEK_INSPECT=1]',
    );
}

/** Options of the scan stage, on `scan` and `refresh`. */
export function addScanOptions(command: Command): Command {
  return command
    .option('--workers <n>', helpFor(SETTINGS.scanWorkers))
    .option('--scan-timeout <duration>', helpFor(SETTINGS.scanTimeout))
    .option('--failed-ttl <duration>', helpFor(SETTINGS.failedTtl))
    .option('--result-ttl <duration>', helpFor(SETTINGS.resultTtl))
    .option('--force', 'rescan every image, ignoring both TTLs');
}

/** Options of the commands that publish the site: build, demo, refresh. */
export function addSiteOptions(command: Command): Command {
  return command
    .option(
      '--site-dir <dir>',
      'where the site is published: absent, empty, or a site dockpeek-security published [env DOCKPEEK_SITE_DIR, default ./dist]',
    )
    .option(
      '--adopt',
      'if the site dir is a folder with files, move it to <site-dir>.releases/adopted-<time>/ (kept) and publish in its place',
    )
    .addHelpText(
      'after',
      '\n<site-dir> becomes a symlink to <site-dir>.releases/<time>/, swapped atomically; the last 3 releases are kept\n' +
        'for rollback. Point nginx at the symlink (docs/deployment.md). The site works from file:// and under any URL path.',
    );
}

/** --wait, on every command that writes the store. */
export function addLockOptions(command: Command): Command {
  return command.option(
    '--wait [duration]',
    'if another run holds the data dir, wait for it (default up to 30m) instead of exiting',
  );
}
