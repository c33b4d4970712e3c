import type { Command } from 'commander';
import type { SetExit } from '../command-table.ts';
import type { NotifyFlags } from './notify-run.ts';
import { addLockOptions } from './shared-options.ts';

/** `dockpeek-security notify`: deliver what changed, or test, preview and inspect notifications. */
export function defineCommand(command: Command, setExit: SetExit): void {
  command
    .option('--test', 'send one test message to each URL of DOCKPEEK_NOTIFY_URLS and report each')
    .option(
      '--dry-run',
      'print what the next run would send, from the store as it is; send nothing',
    )
    .option('--status', 'show the baseline time and the pending and dropped events')
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option('-v, --verbose', 'print each message sent and its result (credentials removed)');
  addLockOptions(command)
    .option('-q, --quiet', 'print only the summary, warnings and errors')
    .addHelpText(
      'after',
      '\nDOCKPEEK_NOTIFY_URLS: comma-separated URLs. ntfy:// ntfys:// and json:// jsons:// are built in; any other\n' +
        'scheme (discord://, tgram://, gotify://, mailto://, …) goes through the apprise CLI; apprise+SCHEME:// forces it.\n' +
        'DOCKPEEK_PUBLIC_URL: the dashboard address, for links. See docs/notifications.md for every setting and event.\n' +
        'Exit codes: 0 ok, 1 configuration error, 2 a destination failed (its events stay pending for the next run).',
    )
    .action(async (flags: NotifyFlags) => {
      // The notify code loads only now, not for --help.
      const { runNotify } = await import('./notify-run.ts');
      await runNotify(flags, setExit);
    });
}
