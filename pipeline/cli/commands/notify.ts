import type { Command } from 'commander';
import { pickOptions } from '../../config/option-table.ts';
import { option, type FlagsOf } from '../../config/option-types.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';

const OPTIONS = {
  test: option(
    '--test',
    'send one test message to each URL of DOCKPEEK_NOTIFY_URLS and report each',
  ),
  dryRun: option(
    '--dry-run',
    'print what the next run would send, from the store as it is; send nothing',
  ),
  status: option('--status', 'show the baseline time and the pending and dropped events'),
  ...pickOptions('dataDir', 'wait', 'quiet'),
};

/** The flags of `notify`, and the global --verbose (each message sent and its result). */
export type NotifyFlags = FlagsOf<typeof OPTIONS> & { verbose?: boolean };

/** `dockpeek-security notify`: deliver what changed, or test, preview and inspect notifications. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nDOCKPEEK_NOTIFY_URLS: comma-separated URLs. ntfy:// ntfys:// and json:// jsons:// are built in; any other\n' +
        'scheme (discord://, tgram://, gotify://, mailto://, …) goes through the apprise CLI; apprise+SCHEME:// forces it.\n' +
        'DOCKPEEK_PUBLIC_URL: the dashboard address, for links. See docs/notifications.md for every setting and event.\n' +
        'Exit codes: 0 ok, 1 configuration error, 2 a destination failed (its events stay pending for the next run).',
    )
    .action(async (parsed, cmd: Command) => {
      const verbose = Boolean(cmd.optsWithGlobals().verbose);
      // The notify code loads only now, not for --help.
      const { runNotify } = await import('./notify-run.ts');
      await runNotify({ ...readFlags(parsed), verbose }, setExit);
    });
}
