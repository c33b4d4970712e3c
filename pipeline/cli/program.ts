import { Command, CommanderError, Help, Option } from 'commander';
import { EXIT } from '../errors.ts';
import { readVersion } from '../version.ts';
import { COMMANDS, type CommandEntry } from './command-table.ts';
import type { GlobalOptions } from './main.ts';

const VERBOSE = '-v, --verbose';

/**
 * Parse argv with commander and run the chosen command; returns the exit code. Every command of
 * the table is declared, so the command list, "did you mean" and usage errors are commander's
 * own, but only the chosen command's module is loaded: the others are a name and a summary.
 */
export async function runProgram(
  argv: string[],
  globals: GlobalOptions = { verbose: false },
): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => (exitCode = Math.max(exitCode, code));
  const program = new Command('dockpeek-security')
    .description(
      'Security dashboard for Docker hosts: snapshot containers, scan images, build a static site.',
    )
    .version(readVersion())
    // The one --verbose: commander reads the program's options anywhere on the command line.
    .option(
      VERBOSE,
      'print more: the causes of an error; for notify, each message sent and its result (credentials removed)',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const setVerbose = () => (globals.verbose = true);
  program.on('option:verbose', setVerbose);
  program.configureOutput({ outputError: (text, write) => write(text) });
  const plain = new Help();
  const listed = new Set(COMMANDS.map((entry) => entry.name));
  // Commander lists "[options]" only for options it has seen; every command here takes some.
  // Each command's help lists --verbose under "Global Options" (not --version: it stands alone).
  program.configureHelp({
    subcommandTerm: (cmd) =>
      listed.has(cmd.name()) ? `${cmd.name()} [options]` : plain.subcommandTerm(cmd),
    showGlobalOptions: true,
    visibleGlobalOptions: (cmd) =>
      (cmd.parent?.options ?? []).filter((o) => !o.hidden && o.long !== '--version'),
  });
  const chosen = chooseCommand(argv.slice(2));
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary);
    // In a group of short flags after the command's name (-qv) only the command's own options
    // are looked up: the same flag, hidden, sets the same global.
    command.addOption(new Option(VERBOSE).hideHelp()).on('option:verbose', setVerbose);
    if (entry === chosen) (await entry.load()).defineCommand(command, setExit);
    command.exitOverride();
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    // Help was shown (exit 0), or commander printed a usage error (exit 1).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw error;
  }
}

/** The command argv names: its first operand, or the one after `help`. */
function chooseCommand(args: string[]): CommandEntry | undefined {
  const operands = args.filter((arg) => !arg.startsWith('-'));
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return COMMANDS.find((entry) => entry.name === name);
}
