import type { Command } from 'commander';
import { FEEDS_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { SETTINGS, helpFor, resolveDataDir, resolveWait } from '../../config/settings.ts';
import { DEFAULT_FEED_URLS } from '../../feeds/sources.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';

const OPTIONS = { ...pickOptions('dataDir'), ...FEEDS_OPTIONS, ...pickOptions('wait', 'quiet') };

/** `dockpeek-security feeds`: download, validate and store CISA KEV and FIRST EPSS. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
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
    .action(async (parsed) => {
      const flags = readFlags(parsed);
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
    });
}
