import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import {
  resolveUpdateConfig,
  runUpdateStage,
  type UpdateFlags,
} from '../../stages/update-stage.ts';
import { openStore } from '../../store/db.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { runArchiveStage } from '../../stages/archive-stage.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';
import { addLockOptions } from './shared-options.ts';

/** `dockpeek-security updates`: which running images have a newer image under the same tag. */
export function registerUpdates(program: Command): void {
  const command = program
    .command('updates')
    .description(
      "Check each image's tag against its registry through the host's daemon (read-only: no pull)",
    )
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option(
      '--update-ttl <duration>',
      'reuse a result this long [env DOCKPEEK_UPDATE_TTL, default 6h]',
    )
    .option('--force', 'ask again for every image, ignoring the TTL');
  addLockOptions(command)
    .option('-q, --quiet', 'print only the summary, warnings and errors')
    .addHelpText(
      'after',
      '\nAsks GET /distribution/<ref>/json of the daemon that runs the image (docker-socket-proxy: DISTRIBUTION=1).\n' +
        'States: update_available, up_to_date, unknown (with the reason). DOCKPEEK_UPDATE_TIMEOUT: per request, default 15s.',
    )
    .action(
      async (
        flags: UpdateFlags & { dataDir?: string; quiet?: boolean; wait?: string | boolean },
      ) => {
        const out = createOutput(process.stderr, process.env, flags.quiet);
        const dataDir = resolveDataDir(flags.dataDir, process.env);
        const config = resolveUpdateConfig(flags, process.env);
        await withRunLock(dataDir, 'updates', resolveWait(flags.wait), out, async () => {
          const store = await openStore(dataDir);
          reportRecovery(store, out);
          await runUpdateStage(store, config, out);
          await runArchiveStage(store, out);
        });
      },
    );
}
