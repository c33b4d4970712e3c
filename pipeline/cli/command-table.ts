import type { Command } from 'commander';

/** Raise the exit code of the run (the highest one set wins: 2 degraded over 0 ok). */
export type SetExit = (code: number) => void;

/** What every module under commands/ exports. */
export interface CommandModule {
  /** Add the command's options, help text and action to `command`, named and described here. */
  defineCommand(command: Command, setExit: SetExit): void;
}

/** One command: what `--help` lists, and its module, imported only when the command is used. */
export interface CommandEntry {
  name: string;
  /** The command's description, in the command list of `--help` and atop its own help. */
  summary: string;
  load(): Promise<CommandModule>;
}

// Adding a command is one entry here plus its module (CONTRIBUTING.md). The list's order is the
// order of `--help`. Nothing of a command loads before it is chosen, so `--help` stays fast.
/** Every command of the CLI. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'refresh',
    summary:
      'The whole job, for cron or a timer: snapshot → scan → updates → archive → build → atomic publish',
    load: () => import('./commands/refresh.ts'),
  },
  {
    name: 'snapshot',
    summary: 'Read every container on every Docker host into the store (read-only: GET/HEAD only)',
    load: () => import('./commands/snapshot.ts'),
  },
  {
    name: 'scan',
    summary:
      'Scan every distinct image of the current snapshot with the Trivy CLI, in a worker pool',
    load: () => import('./commands/scan.ts'),
  },
  {
    name: 'updates',
    summary:
      "Check each image's tag against its registry through the host's daemon (read-only: no pull)",
    load: () => import('./commands/updates.ts'),
  },
  {
    name: 'notify',
    summary:
      'Send notifications of what changed since the last ones (refresh runs this as its last stage)',
    load: () => import('./commands/notify.ts'),
  },
  {
    name: 'feeds',
    summary:
      'Download, validate and store the CISA KEV catalogue and FIRST EPSS scores under <data-dir>/feeds/',
    load: () => import('./commands/feeds.ts'),
  },
  {
    name: 'vex',
    summary:
      'Accepted risk (.trivyignore.yaml, OpenVEX): list the rules, the documents rejected, and the findings of the current store each rule matches',
    load: () => import('./commands/vex.ts'),
  },
  {
    name: 'build',
    summary: 'Render the current snapshot and scans into the static dashboard and publish it',
    load: () => import('./commands/build.ts'),
  },
  {
    name: 'export',
    summary: 'Print the current state on stdout as JSON (default) or CSV',
    load: () => import('./commands/export.ts'),
  },
  {
    name: 'status',
    summary:
      'Exit 0 when refresh keeps up, 1 with one line per reason: last refresh older than twice --every, or a stale run lock',
    load: () => import('./commands/status.ts'),
  },
  {
    name: 'demo',
    summary:
      'Build the dashboard from bundled sample data (a ~44-container homelab); needs no Docker',
    load: () => import('./commands/demo.ts'),
  },
];
