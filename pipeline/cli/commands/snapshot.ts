import type { Command } from 'commander';
import { SNAPSHOT_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import { withRunLock } from '../../store/run-lock.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

const OPTIONS = {
  ...pickOptions('dataDir'),
  ...SNAPSHOT_OPTIONS,
  ...pickOptions('wait', 'quiet'),
};

/** `dockpeek-security snapshot`: read every host into db.json and the archive. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nExtra hosts: DOCKER_HOST_<N>_URL and DOCKER_HOST_<N>_NAME (N = 1, 2, …); DOCKER_HOST_NAME names the first.\n' +
        'Exit codes: 0 all hosts read, 1 configuration error, 2 saved but a host was unreachable.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
      const out = createOutput(process.stderr, process.env, flags.quiet);
      // The Docker client, the schemas and the store load only now, not for --help.
      const { resolveSnapshotConfig, runSnapshotStage } =
        await import('../../stages/snapshot-stage.ts');
      const config = resolveSnapshotConfig(flags, process.env);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      const { openStore } = await import('../../store/db.ts');
      const { runArchiveStage } = await import('../../stages/archive-stage.ts');
      await withRunLock(dataDir, 'snapshot', resolveWait(flags.wait), out, async () => {
        const store = await openStore(dataDir);
        reportRecovery(store, out);
        const { degraded } = await runSnapshotStage(store, config, out);
        await runArchiveStage(store, out);
        if (degraded) setExit(EXIT.degraded);
      });
    });
}
