import type { Command } from 'commander';
import { SITE_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import type { SetExit } from '../command-table.ts';
import { withRunLock } from '../../store/run-lock.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';
import { addSiteHelp } from './shared-options.ts';

const OPTIONS = { ...pickOptions('dataDir'), ...SITE_OPTIONS, ...pickOptions('wait', 'quiet') };

/** `dockpeek-security build`: render the store into the static site and publish it. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  addSiteHelp(command)
    .addHelpText(
      'after',
      '\nAccepted risk (DOCKPEEK_VEX: .trivyignore.yaml and OpenVEX files or folders) and the stored KEV and EPSS\n' +
        'feeds are applied at build time: editing a rule needs no rescan (docs/accepted-risk.md, docs/feeds.md).\n' +
        'Exit codes: 0 ok, 1 error (nothing published), 2 published, but a rules document was rejected.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
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
