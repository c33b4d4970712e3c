import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import type { SetExit } from '../command-table.ts';
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
export function defineCommand(command: Command, setExit: SetExit): void {
  command.option('--data-dir <dir>', 'where db.json lives [env DOCKPEEK_DATA_DIR, default ./data]');
  addLockOptions(addSiteOptions(command))
    .option('-q, --quiet', 'print only warnings and errors')
    .addHelpText(
      'after',
      '\nAccepted risk (DOCKPEEK_VEX: .trivyignore.yaml and OpenVEX files or folders) and the stored KEV and EPSS\n' +
        'feeds are applied at build time: editing a rule needs no rescan (docs/accepted-risk.md, docs/feeds.md).\n' +
        'Exit codes: 0 ok, 1 error (nothing published), 2 published, but a rules document was rejected.',
    )
    .action(async (flags: BuildFlags) => {
      const out = createOutput(process.stderr, process.env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      const waitMs = resolveWait(flags.wait);
      // The site build and the store load only now, not for --help.
      const { resolveSiteConfig, runSiteStage } = await import('../../stages/site-stage.ts');
      const site = await resolveSiteConfig(flags, process.env, dataDir);
      const [{ openStore }, { requireSnapshot }] = await Promise.all([
        import('../../store/db.ts'),
        import('../../store/require-snapshot.ts'),
      ]);
      await withRunLock(dataDir, 'build', waitMs, out, async () => {
        const store = await openStore(dataDir);
        reportRecovery(store, out);
        requireSnapshot(store.db.data, store.file);
        const built = await runSiteStage(site, out);
        if (built.degraded) setExit(EXIT.degraded);
      });
    });
}
