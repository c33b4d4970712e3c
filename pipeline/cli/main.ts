import { DockpeekError, EXIT, describeError } from '../errors.ts';
import { readVersion } from '../version.ts';
import { createOutput } from './output.ts';

/** The program's own options, set while argv is parsed: the entry point reads them on failure. */
export interface GlobalOptions {
  /** -v, --verbose: say more, such as the causes of an error. */
  verbose: boolean;
}

const VERSION_FLAGS = new Set(['--version', '-V']);

/**
 * Run the CLI; returns the exit code. The only place errors are caught and explained. Loads
 * nothing but the parser and the chosen command (command-table.ts), so `--help` starts fast.
 */
export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  // The version alone needs no parser: answer before loading one.
  if (args.length === 1 && VERSION_FLAGS.has(args[0]!)) {
    process.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const out = createOutput();
  const globals: GlobalOptions = { verbose: false };
  try {
    const { runProgram } = await import('./program.ts');
    return await runProgram(argv, globals);
  } catch (error) {
    if (error instanceof DockpeekError) {
      out.error(`${error.message} [${error.code}]`);
      if (error.hint) out.info(`  ${error.hint}`);
      out.info(`  see ${error.docs}`);
    } else {
      out.error(`unexpected failure: ${describeError(error)}`);
      if (error instanceof Error && error.stack) out.info(error.stack);
    }
    // The chain of causes only with --verbose: it is for whoever digs, and loads its cleaner then.
    if (globals.verbose && error instanceof Error && error.cause !== undefined) {
      const { describeCauses } = await import('./cause-chain.ts');
      for (const line of describeCauses(error)) out.info(line);
    }
    return EXIT.usage;
  }
}
