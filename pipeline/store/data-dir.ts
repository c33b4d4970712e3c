import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { DockpeekError } from '../errors.ts';
import { PROJECT_ROOT } from '../project-root.ts';

/**
 * Refuse a data dir that is `/`, the installed project, or not a folder. (Inside a data dir this
 * tool only deletes files it names itself: archived snapshots and content-addressed findings.)
 */
export async function checkDataDir(dataDir: string): Promise<void> {
  const here = path.resolve(dataDir);
  const role =
    here === path.parse(here).root
      ? 'the root of the filesystem'
      : here === PROJECT_ROOT
        ? 'the installed project'
        : undefined;
  const refuse = (why: string, hint: string): never => {
    throw new DockpeekError(
      'data_dir_unsafe',
      `refusing to use ${here} as the data dir: ${why}`,
      hint,
    );
  };
  if (role)
    refuse(`it is ${role}`, 'Use a folder of its own, such as ./data or /var/lib/dockpeek/data.');
  const stat = await lstat(here).catch(() => null);
  if (stat && !stat.isDirectory())
    refuse('it is not a folder', 'Give a folder (it is created when absent).');
}
