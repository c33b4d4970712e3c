import type { Command } from 'commander';

/** What publishing does to the site dir, after the options of build, demo and refresh. */
export function addSiteHelp(command: Command): Command {
  return command.addHelpText(
    'after',
    '\n<site-dir> becomes a symlink to <site-dir>.releases/<time>/, swapped atomically; the last 3 releases are kept\n' +
      'for rollback. Point nginx at the symlink (docs/deployment.md). The site works from file:// and under any URL path.',
  );
}
