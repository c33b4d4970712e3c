import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../pipeline/cli/command-table.ts';
import { makeDataDir, runCliRecordingModules } from '../helpers/cli.ts';
import { demoStore } from '../helpers/store-fixture.ts';

// What each way of starting the CLI loads, from a hook in the real process: an eager import of a
// command, a stage or a heavy package in the wrong place fails here (bench/results/cli-start.md
// shows what each one costs).

/** Everything --version may load: the entry, its error printer and package.json's reader. */
const VERSION_FILES = [
  'bin/check-node.mjs',
  'bin/compile-cache.mjs',
  'bin/dockpeek-security.mjs',
  'pipeline/cli/main.ts',
  'pipeline/cli/output.ts',
  'pipeline/errors.ts',
  'pipeline/private-folder.mjs',
  'pipeline/project-root.ts',
  // Every line the CLI writes is cleaned (an error message may quote untrusted text).
  'pipeline/safe-text.ts',
  'pipeline/user-cache-dir.mjs',
  'pipeline/version.ts',
  'pipeline/zod-locales-hook.mjs',
];
/** --help adds the parser and the table of commands, and nothing of any command. */
const HELP_FILES = [...VERSION_FILES, 'pipeline/cli/command-table.ts', 'pipeline/cli/program.ts'];
/** Code that only runs a command: stages, Docker, schemas, scans, the site, the store itself. */
const WORK =
  /^pipeline\/(stages|docker|snapshot|scan|site|updates|export|demo\/create)|refresh-run|^pipeline\/store\/(?!run-lock|data-dir|sweep)/;
/** What export must not load: everything above but the schemas, the store's reader and itself. */
const NOT_EXPORT =
  /^pipeline\/(stages|docker|site|demo)\/|^pipeline\/(scan\/(?!schema|finding)|updates\/(?!schema)|snapshot\/(?!schema)|store\/(?!read-db|schema|require-snapshot))/;

describe('what the CLI loads', () => {
  it.each([['--version'], ['-V']])('%s: the entry alone, no npm package at all', async (flag) => {
    const run = await runCliRecordingModules([flag], {});
    expect(run.exitCode).toBe(0);
    expect(run.packages).toEqual([]);
    expect(run.files.sort()).toEqual(VERSION_FILES);
  });

  it.each([[['--help']], [['-h']], [['help']], [[]]])(
    '%j: the parser and the table, no command module',
    async (args) => {
      const run = await runCliRecordingModules(args, {});
      expect(run.stdout + run.stderr).toContain('Usage: dockpeek-security [options] [command]');
      expect(run.packages).toEqual(['commander']);
      expect(run.files.sort()).toEqual(HELP_FILES.sort());
    },
  );

  it.each(COMMANDS.map((c) => [c.name]))(
    '%s --help: its own module, none of the work and no heavy package',
    async (name) => {
      const run = await runCliRecordingModules([name, '--help'], {});
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain(`Usage: dockpeek-security ${name} [options]`);
      expect(run.packages).toEqual(['commander']);
      expect(run.files.filter((f) => WORK.test(f))).toEqual([]);
      const commands = run.files.filter((f) => f.startsWith('pipeline/cli/commands/'));
      expect(commands).toContain(`pipeline/cli/commands/${name}.ts`);
      const others = COMMANDS.filter((c) => c.name !== name);
      for (const other of others)
        expect(commands).not.toContain(`pipeline/cli/commands/${other.name}.ts`);
    },
  );

  describe('export', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await demoStore();
    });

    it.each([['json'], ['csv']])(
      'as %s: the store schema and zod, no lowdb, Docker, scan or site code',
      async (format) => {
        const run = await runCliRecordingModules(['export', '--format', format], {
          DOCKPEEK_DATA_DIR: dataDir,
        });
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.packages).toEqual(['commander', 'zod']);
        expect(run.files).toContain('pipeline/store/schema.ts');
        expect(run.files.filter((f) => NOT_EXPORT.test(f))).toEqual([]);
        // Of zod's 64 locales, English alone (pipeline/zod-locales-hook.mjs).
        const locales = run.loaded.filter((f) => f.includes('/zod/v4/locales/'));
        expect(locales.map((f) => path.basename(f))).toEqual(['en.js']);
      },
    );
  });

  it('snapshot: Docker and the store, but no scan pool, site build, ssh or execa', async () => {
    const dataDir = makeDataDir();
    const run = await runCliRecordingModules(['snapshot'], {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKER_HOST: `unix://${path.join(dataDir, 'no.sock')}`,
    });
    // Saved, with the one host unreachable.
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.packages).toEqual(['commander', 'lowdb', 'zod']);
    expect(run.files).toContain('pipeline/docker/client.ts');
    const idle = /^pipeline\/(scan\/scan-pool|site|updates\/check|store\/retention|demo)/;
    expect(run.files.filter((f) => idle.test(f))).toEqual([]);
  });
});
