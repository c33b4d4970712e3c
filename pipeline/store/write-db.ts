import { createError, describeError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { DbSchema, type Db } from './schema.ts';

/** Validate and write db.json atomically (fsynced); on failure the previous file is unchanged. */
export async function writeDbFile(file: string, data: Db): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(DbSchema.parse(data), null, 2)}\n`);
  } catch (error) {
    const args = { file, reason: describeError(error) };
    throw createError(STORE_ERRORS.dbUnwritable, args, { cause: error });
  }
}
