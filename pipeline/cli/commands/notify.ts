import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { DockpeekError, EXIT } from '../../errors.ts';
import { previewLines } from '../../notify/preview.ts';
import { sendMessage, testMessage } from '../../notify/send.ts';
import { readNotifyState } from '../../notify/state-file.ts';
import { statusLines } from '../../notify/status-text.ts';
import {
  resolveNotifyConfig,
  runNotifyStage,
  type NotifyConfig,
} from '../../stages/notify-stage.ts';
import { openStore, type Store } from '../../store/db.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { createOutput, type Output } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';
import { addLockOptions } from './shared-options.ts';

interface NotifyFlags {
  test?: boolean;
  dryRun?: boolean;
  status?: boolean;
  dataDir?: string;
  wait?: string | boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** `dockpeek-security notify`: deliver what changed, or test, preview and inspect notifications. */
export function registerNotify(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('notify')
    .description(
      'Send notifications of what changed since the last ones (refresh runs this as its last stage)',
    )
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
      const modes = [flags.test, flags.dryRun, flags.status].filter(Boolean).length;
      if (modes > 1)
        throw new DockpeekError('usage', 'give at most one of --test, --dry-run and --status');
      const env = process.env;
      const out = createOutput(process.stderr, env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, env);
      const config = await resolveNotifyConfig(env, { checkApprise: !flags.status });
      if (flags.status) {
        const read = await readNotifyState(dataDir);
        if (read.kind === 'corrupt') out.warn(`the notify state is unreadable: ${read.reason}`);
        print(statusLines(config, read.kind === 'ok' ? read.state : null));
        return;
      }
      if (flags.dryRun) {
        const store = await readStore(dataDir, out);
        print(await previewLines(store.db.data, dataDir, config, new Date()));
        return;
      }
      requireDestinations(config);
      if (flags.test) {
        setExit(await sendTests(config, out, Boolean(flags.verbose)));
        return;
      }
      await withRunLock(dataDir, 'notify', resolveWait(flags.wait), out, async () => {
        const store = await readStore(dataDir, out);
        const { degraded } = await runNotifyStage(store, config, out, {
          verbose: Boolean(flags.verbose),
        });
        if (degraded) setExit(EXIT.degraded);
      });
    });
}

function print(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

function requireDestinations(config: NotifyConfig): void {
  if (config.destinations.length === 0)
    throw new DockpeekError(
      'config_invalid',
      'DOCKPEEK_NOTIFY_URLS is not set: there is nowhere to send notifications',
      'Set it to one or more comma-separated URLs, e.g. ntfys://ntfy.sh/my-homelab (docs/notifications.md).',
    );
}

async function readStore(dataDir: string, out: Output): Promise<Store> {
  const store = await openStore(dataDir);
  reportRecovery(store, out);
  if (!store.db.data.snapshot)
    throw new DockpeekError(
      'no_snapshot',
      `there is no snapshot in ${store.file} yet`,
      'Run `dockpeek-security refresh` (or snapshot and scan) first.',
    );
  return store;
}

/** One test message to each destination, each result on stdout; 2 when any failed. */
async function sendTests(config: NotifyConfig, out: Output, verbose: boolean): Promise<number> {
  const message = testMessage(config);
  const results = await Promise.all(
    config.destinations.map((d) => sendMessage(d, message, config)),
  );
  let failed = 0;
  results.forEach((result, i) => {
    const d = config.destinations[i]!;
    if (result.ok)
      print([`${out.ok('✓')} ${d.label}: delivered (${result.detail}, ${result.durationMs} ms)`]);
    else {
      failed += 1;
      print([`${out.bad('✗')} ${d.label}: [${result.failure.code}] ${result.failure.message}`]);
    }
  });
  if (verbose) out.info(`sent: ${message.title}`);
  return failed ? EXIT.degraded : EXIT.ok;
}
