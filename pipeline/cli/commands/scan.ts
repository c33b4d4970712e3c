import type { Command } from 'commander';
import { resolveDataDir, resolveWait } from '../../config/settings.ts';
import { EXIT } from '../../errors.ts';
import type { ScanFlags } from '../../stages/scan-stage.ts';
import { withRunLock } from '../../store/run-lock.ts';
import type { SetExit } from '../command-table.ts';
import { listenForInterrupt } from '../interrupt.ts';
import { createOutput } from '../output.ts';
import { addScanOptions, addLockOptions } from './shared-options.ts';
import { reportRecovery } from './report-recovery.ts';

type Flags = ScanFlags & { dataDir?: string; quiet?: boolean; wait?: string | boolean };

/** `dockpeek-security scan`: scan every distinct image of the current snapshot with Trivy. */
export function defineCommand(command: Command, setExit: SetExit): void {
  command.option(
    '--data-dir <dir>',
    'where db.json and reports live [env DOCKPEEK_DATA_DIR, default ./data]',
  );
  addScanOptions(command);
  addLockOptions(command)
    .option('-q, --quiet', 'print only the summary, warnings and errors')
    .addHelpText(
      'after',
      '\nTrivy: TRIVY_BIN (default `trivy` on PATH); TRIVY_SCAN_STRATEGY auto|server|memory (default auto: a private\n' +
        'trivy server that keeps analysed layers for the next run); TRIVY_SERVER and TRIVY_TOKEN for a shared server;\n' +
        'TRIVY_CACHE_DIR (default <data-dir>/trivy-cache); DOCKPEEK_TRIVY_MAX_OUTPUT (bytes of JSON, default 256 MB).\n' +
        'Exit codes: 0 every image scanned or skipped, 1 configuration error, 2 some image failed (now or cached).',
    )
    .action(async (flags: Flags) => {
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
