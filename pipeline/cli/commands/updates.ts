import type { Command } from 'commander';
import { UPDATE_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

const OPTIONS = { ...pickOptions('dataDir'), ...UPDATE_OPTIONS, ...pickOptions('wait', 'quiet') };

/** `dockpeek-security updates`: which running images have a newer image under the same tag. */
export function defineCommand(command: Command): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nAsks GET /distribution/<ref>/json of the daemon that runs the image (docker-socket-proxy: DISTRIBUTION=1).\n' +
        'States: update_available, up_to_date, unknown (with the reason). DOCKPEEK_UPDATE_TIMEOUT: per request, default 15s.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
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
