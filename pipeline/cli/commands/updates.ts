import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import type { UpdateFlags } from '../../stages/update-stage.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';
import { addLockOptions } from './shared-options.ts';

type Flags = UpdateFlags & { dataDir?: string; quiet?: boolean; wait?: string | boolean };

/** `dockpeek-security updates`: which running images have a newer image under the same tag. */
export function defineCommand(command: Command): void {
  command
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
    .action(async (flags: Flags) => {
      const out = createOutput(process.stderr, process.env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      // The registry checks, the schemas and the store load only now, not for --help.
      const { resolveUpdateConfig, runUpdateStage } = await import('../../stages/update-stage.ts');
      const config = resolveUpdateConfig(flags, process.env);
      const { openStore } = await import('../../store/db.ts');
      const { runArchiveStage } = await import('../../stages/archive-stage.ts');
      await withRunLock(dataDir, 'updates', resolveWait(flags.wait), out, async () => {
        const store = await openStore(dataDir);
        reportRecovery(store, out);
        await runUpdateStage(store, config, out);
        await runArchiveStage(store, out);
      });
    });
}
