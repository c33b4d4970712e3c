import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { DockpeekError, EXIT, describeError } from '../errors.ts';
import { createOutput } from './output.ts';
import { registerBuild } from './commands/build.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExport } from './commands/export.ts';
import { registerFeeds } from './commands/feeds.ts';
import { registerRefresh } from './commands/refresh.ts';
import { registerScan } from './commands/scan.ts';
import { registerSnapshot } from './commands/snapshot.ts';
import { registerUpdates } from './commands/updates.ts';
import { registerVex } from './commands/vex.ts';

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/** Run the CLI; returns the exit code. The only place errors are caught and explained. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('dockpeek-security')
    .description(
      'Security dashboard for Docker hosts: snapshot containers, scan images, build a static site.',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (text, write) => write(text) });
  registerRefresh(program, (code) => (exitCode = Math.max(exitCode, code)));
  registerSnapshot(program, (code) => (exitCode = Math.max(exitCode, code)));
  registerScan(program, (code) => (exitCode = Math.max(exitCode, code)));
  registerUpdates(program);
  registerBuild(program);
  registerExport(program);
  registerFeeds(program, (code) => (exitCode = Math.max(exitCode, code)));
  registerVex(program, (code) => (exitCode = Math.max(exitCode, code)));
  registerDemo(program);
  for (const command of program.commands) command.exitOverride();

  const out = createOutput();
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof DockpeekError) {
      out.error(`${error.message} [${error.code}]`);
      if (error.hint) out.info(`  ${error.hint}`);
      return EXIT.usage;
    }
    out.error(`unexpected failure: ${describeError(error)}`);
    if (error instanceof Error && error.stack) out.info(error.stack);
    return EXIT.usage;
  }
}
