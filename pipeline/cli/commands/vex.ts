import type { Command } from 'commander';
import { pickOptions } from '../../config/option-table.ts';
import { option } from '../../config/option-types.ts';
import { SETTINGS, helpFor, resolveDataDir } from '../../config/settings.ts';
import { EXIT, createError } from '../../errors.ts';
import { COMMAND_ERRORS } from '../../errors/command-errors.ts';
import type { SetExit } from '../command-table.ts';
import { addOptions } from '../options.ts';

const OPTIONS = {
  check: option('--check', 'check the rules against the store (read-only)'),
  vex: option('--vex <paths>', 'files or folders, comma-separated [env DOCKPEEK_VEX]'),
  ...pickOptions('dataDir'),
  at: option('--at <time>', 'judge expiry at this time instead of now (2026-06-01 or RFC 3339)'),
  json: option('--json', 'print the result as JSON on stdout'),
};

/** `dockpeek-security vex --check`: the accepted-risk rules, their errors, and what they match. */
export function defineCommand(command: Command, setExit: SetExit): void {
  const readFlags = addOptions(command, OPTIONS);
  command
    .addHelpText(
      'after',
      `\nDOCKPEEK_VEX_MAX_SIZE: ${helpFor(SETTINGS.vexMaxSize)}.\n` +
        'Exit codes: 0 every document valid, 1 usage or configuration error, 2 a document was rejected\n' +
        '(its rules do not apply). Stale rules (matching nothing) are listed, not an error. See docs/accepted-risk.md.',
    )
    .action(async (parsed) => {
      const flags = readFlags(parsed);
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
