import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** The temp files writeFileAtomic makes: `.<name>.<8 hex>.tmp`, beside their target. */
const TEMP_FILE = /^\..+\.[0-9a-f]{8}\.tmp$/;
const FOLDERS = ['.', 'archive', 'reports'];

/**
 * Remove the temp files of atomic writes that were killed half-way. Only the run holding the data
 * dir's lock calls this, so no live write owns them. Returns how many were removed.
 */
export async function sweepTempFiles(dataDir: string): Promise<number> {
  let removed = 0;
  for (const folder of FOLDERS) {
    const dir = path.join(dataDir, folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => TEMP_FILE.test(n))) {
      await rm(path.join(dir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}
