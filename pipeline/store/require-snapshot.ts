import { createError } from '../errors.ts';
import { STORE_ERRORS } from '../errors/store-errors.ts';

/**
 * The newest snapshot of the store's data, or a no_snapshot error naming `file` (db.json) and
 * what to run first. Every command and stage that needs a snapshot asks through this.
 */
export function requireSnapshot<S>(data: { snapshot: S | null | undefined }, file: string): S {
  if (data.snapshot === null || data.snapshot === undefined)
    throw createError(STORE_ERRORS.noSnapshot, { file });
  return data.snapshot;
}
