import type { Command } from 'commander';
import { SETTINGS, helpFor, resolveDataDir, resolveWait } from '../../config/settings.ts';
import { DEFAULT_FEED_URLS } from '../../feeds/sources.ts';
import type { FeedsFlags } from '../../stages/feeds-stage.ts';
import type { SetExit } from '../command-table.ts';
import { addLockOptions } from './shared-options.ts';

/** `dockpeek-security feeds`: download, validate and store CISA KEV and FIRST EPSS. */
export function defineCommand(command: Command, setExit: SetExit): void {
  command
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option('--kev <url-or-file>', `KEV source for this run only [env DOCKPEEK_KEV_URL]`)
    .option('--epss <url-or-file>', `EPSS source for this run only [env DOCKPEEK_EPSS_URL]`)
    .option(
      '--from <file...>',
      'local feed files (offline): KEV JSON or EPSS CSV(.gz), told apart by their content',
    );
  addLockOptions(command)
    .option('-q, --quiet', 'print only warnings and errors')
    .addHelpText(
      'after',
      `\nWithout --kev/--epss/--from both feeds are downloaded from DOCKPEEK_KEV_URL and DOCKPEEK_EPSS_URL\n` +
        `(default ${DEFAULT_FEED_URLS.kev}\n and ${DEFAULT_FEED_URLS.epss});\n` +
        'with any of them, only the feeds named. A feed that fails keeps its previous copy.\n' +
        `Caps: DOCKPEEK_FEED_TIMEOUT ${helpFor(SETTINGS.feedTimeout)}\n` +
        `  DOCKPEEK_KEV_MAX_SIZE ${helpFor(SETTINGS.kevMaxSize)}\n` +
        `  DOCKPEEK_EPSS_MAX_SIZE ${helpFor(SETTINGS.epssMaxSize)}\n` +
        `  DOCKPEEK_EPSS_MAX_UNPACKED ${helpFor(SETTINGS.epssMaxUnpacked)}\n` +
        'Exit codes: 0 every feed stored, 1 usage or configuration error, 2 a feed failed (docs/feeds.md).',
    )
    .action(
      async (
        flags: FeedsFlags & { dataDir?: string; quiet?: boolean; wait?: string | boolean },
      ) => {
        // The feed code loads only now, not for --help.
        const [{ resolveFeedsConfig, runFeedsStage }, { withRunLock }, { createOutput }, { EXIT }] =
          await Promise.all([
            import('../../stages/feeds-stage.ts'),
            import('../../store/run-lock.ts'),
            import('../output.ts'),
            import('../../errors.ts'),
          ]);
        const env = process.env;
        const out = createOutput(process.stderr, env, flags.quiet);
        const dataDir = resolveDataDir(flags.dataDir, env);
        const config = await resolveFeedsConfig(flags, env);
        const run = await withRunLock(dataDir, 'feeds', resolveWait(flags.wait), out, () =>
          runFeedsStage(dataDir, config, out),
        );
        setExit(run.degraded ? EXIT.degraded : EXIT.ok);
      },
    );
}
