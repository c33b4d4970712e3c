import type { Command } from 'commander';
import { SETTINGS, helpFor, resolveDataDir } from '../../config/settings.ts';
import { EXIT, createError } from '../../errors.ts';
import { COMMAND_ERRORS } from '../../errors/command-errors.ts';
import type { SetExit } from '../command-table.ts';

interface VexFlags {
  check?: boolean;
  vex?: string;
  dataDir?: string;
  at?: string;
  json?: boolean;
}

/** `dockpeek-security vex --check`: the accepted-risk rules, their errors, and what they match. */
export function defineCommand(command: Command, setExit: SetExit): void {
  command
    .option('--check', 'check the rules against the store (read-only)')
    .option('--vex <paths>', 'files or folders, comma-separated [env DOCKPEEK_VEX]')
    .option('--data-dir <dir>', 'the store [env DOCKPEEK_DATA_DIR, default ./data]')
    .option('--at <time>', 'judge expiry at this time instead of now (2026-06-01 or RFC 3339)')
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText(
      'after',
      `\nDOCKPEEK_VEX_MAX_SIZE: ${helpFor(SETTINGS.vexMaxSize)}.\n` +
        'Exit codes: 0 every document valid, 1 usage or configuration error, 2 a document was rejected\n' +
        '(its rules do not apply). Stale rules (matching nothing) are listed, not an error. See docs/accepted-risk.md.',
    )
    .action(async (flags: VexFlags) => {
      const env = process.env;
      if (!flags.check) throw createError(COMMAND_ERRORS.vexNeedsCheck, {});
      // The rule code loads only now, not for --help.
      const [{ checkVexRules }, { readVexConfig }, { createOutput }, { printVexCheck }] =
        await Promise.all([
          import('../../vex/check-rules.ts'),
          import('../../vex/vex-config.ts'),
          import('../output.ts'),
          import('./vex-output.ts'),
        ]);
      const config = readVexConfig(env, flags.vex);
      if (config.paths.length === 0) throw createError(COMMAND_ERRORS.vexNoRules, {});
      const now = flags.at === undefined ? new Date() : parseAt(flags.at);
      const dataDir = resolveDataDir(flags.dataDir, env);
      const result = await checkVexRules(config, dataDir, now);
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else printVexCheck(result, createOutput(process.stderr, env));
      setExit(result.errors.length ? EXIT.degraded : EXIT.ok);
    });
}

function parseAt(text: string): Date {
  const time = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(time)) throw createError(COMMAND_ERRORS.vexTimeInvalid, { text });
  return new Date(time);
}
