import type { SetExit } from '../command-table.ts';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT, createError } from '../../errors.ts';
import { COMMAND_ERRORS } from '../../errors/command-errors.ts';
import { NOTIFY_ERRORS } from '../../errors/notify-errors.ts';
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
import { requireSnapshot } from '../../store/require-snapshot.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { createOutput, type Output } from '../output.ts';
import type { NotifyFlags } from './notify.ts';
import { reportRecovery } from './report-recovery.ts';

/** Run `notify` in the mode its flags choose. */
export async function runNotify(flags: NotifyFlags, setExit: SetExit): Promise<void> {
  const modes = [flags.test, flags.dryRun, flags.status].filter(Boolean).length;
  if (modes > 1) throw createError(COMMAND_ERRORS.notifyModes, {});
  const env = process.env;
  const out = createOutput(process.stderr, env, flags.quiet);
  const dataDir = resolveDataDir(flags.dataDir, env);
  const config = await resolveNotifyConfig(env, { checkApprise: !flags.status });
  if (flags.status) {
    const read = await readNotifyState(dataDir);
    if (read.kind === 'corrupt')
      out.warn(`the notify state is unreadable: ${config.redact(read.reason)}`);
    for (const line of statusLines(config, read.kind === 'ok' ? read.state : null)) out.print(line);
    return;
  }
  if (flags.dryRun) {
    const store = await readStore(dataDir, out);
    for (const line of await previewLines(store.db.data, dataDir, config, new Date()))
      out.print(line);
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
}

function requireDestinations(config: NotifyConfig): void {
  if (config.destinations.length === 0) throw createError(NOTIFY_ERRORS.notifyNoDestinations, {});
}

async function readStore(dataDir: string, out: Output): Promise<Store> {
  const store = await openStore(dataDir);
  reportRecovery(store, out);
  requireSnapshot(store.db.data, store.file);
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
      out.print(`${out.ok('✓')} ${d.label}: delivered (${result.detail}, ${result.durationMs} ms)`);
    else {
      failed += 1;
      out.print(`${out.bad('✗')} ${d.label}: [${result.failure.code}] ${result.failure.message}`);
    }
  });
  if (verbose) out.info(`sent: ${message.title}`);
  return failed ? EXIT.degraded : EXIT.ok;
}
