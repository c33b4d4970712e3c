import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { DockpeekError } from '../../errors.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';
import { addLockOptions, addSiteOptions } from './shared-options.ts';

interface BuildFlags {
  dataDir?: string;
  siteDir?: string;
  adopt?: boolean;
  quiet?: boolean;
  wait?: string | boolean;
}

/** `dockpeek-security build`: render the store into the static site and publish it. */
export function defineCommand(command: Command): void {
  command.option('--data-dir <dir>', 'where db.json lives [env DOCKPEEK_DATA_DIR, default ./data]');
  addLockOptions(addSiteOptions(command))
    .option('-q, --quiet', 'print only warnings and errors')
    .action(async (flags: BuildFlags) => {
      const out = createOutput(process.stderr, process.env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      const waitMs = resolveWait(flags.wait);
      // The site build and the store load only now, not for --help.
      const { resolveSiteConfig, runSiteStage } = await import('../../stages/site-stage.ts');
      const site = await resolveSiteConfig(flags, process.env, dataDir);
      const { openStore } = await import('../../store/db.ts');
      await withRunLock(dataDir, 'build', waitMs, out, async () => {
        const store = await openStore(dataDir);
        reportRecovery(store, out);
        if (!store.db.data.snapshot) {
          throw new DockpeekError(
            'no_snapshot',
            `there is no snapshot in ${store.file} yet`,
            'Run `dockpeek-security snapshot` first, or `npm run demo` for sample data.',
          );
        }
        await runSiteStage(site, out);
      });
    });
}
