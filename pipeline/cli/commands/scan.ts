import type { Command } from 'commander';
import { SCAN_OPTIONS, pickOptions } from '../../config/option-table.ts';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import { withRunLock } from '../../store/run-lock.ts';
import type { SetExit } from '../command-table.ts';
import { listenForInterrupt } from '../interrupt.ts';
import { addOptions } from '../options.ts';
import { createOutput } from '../output.ts';
import { reportRecovery } from './report-recovery.ts';

const OPTIONS = { ...pickOptions('dataDir'), ...SCAN_OPTIONS, ...pickOptions('wait', 'quiet') };

/** `dockpeek-security scan`: scan every distinct image of the current snapshot with Trivy. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      '\nTrivy: TRIVY_BIN (default `trivy` on PATH); TRIVY_SCAN_STRATEGY auto|server|memory (default auto: a private\n' +
        'trivy server that keeps analysed layers for the next run); TRIVY_SERVER and TRIVY_TOKEN for a shared server;\n' +
        'TRIVY_CACHE_DIR (default <data-dir>/trivy-cache); DOCKPEEK_TRIVY_MAX_OUTPUT (bytes of JSON, default 256 MB).\n' +
        'Exit codes: 0 every image scanned or skipped, 1 configuration error, 2 some image failed (now or cached).',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
      const out = createOutput(process.stderr, process.env, flags.quiet);
      const dataDir = resolveDataDir(flags.dataDir, process.env);
      // The scan pool, the schemas and the store load only now, not for --help.
      const { resolveScanConfig, runScanStage } = await import('../../stages/scan-stage.ts');
      const config = resolveScanConfig(flags, process.env, dataDir);
      const { openStore } = await import('../../store/db.ts');
      const { runArchiveStage } = await import('../../stages/archive-stage.ts');
      await withRunLock(dataDir, 'scan', resolveWait(flags.wait), out, async () => {
        // Listening only while holding the lock: a signal while waiting for it still ends us.
        const interrupt = listenForInterrupt();
        try {
          const store = await openStore(dataDir);
          reportRecovery(store, out);
          const scan = await runScanStage(store, config, out, {
            quiet: Boolean(flags.quiet),
            strict: true,
            signal: interrupt.signal,
          });
          if (!scan.interrupted) await runArchiveStage(store, out);
          setExit(interrupt.exitCode() ?? (scan.degraded ? EXIT.degraded : EXIT.ok));
        } finally {
          interrupt.dispose();
        }
      });
    });
}
