import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { createError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
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
  if (role) throw createError(STORE_ERRORS.dataDirIsRoot, { dataDir: here, role });
  const stat = await lstat(here).catch(() => null);
  if (stat && !stat.isDirectory())
    throw createError(STORE_ERRORS.dataDirNotFolder, { dataDir: here });
}
