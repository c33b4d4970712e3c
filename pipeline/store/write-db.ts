import { DockpeekError, describeError } from '../errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { DbSchema, type Db } from './schema.ts';

/** Validate and write db.json atomically (fsynced); on failure the previous file is unchanged. */
export async function writeDbFile(file: string, data: Db): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(DbSchema.parse(data), null, 2)}\n`);
  } catch (error) {
    throw new DockpeekError(
      'db_unwritable',
      `cannot write ${file}: ${describeError(error)}`,
      'The previous db.json is unchanged. Free disk space or fix permissions, then run again.',
    );
  }
}
