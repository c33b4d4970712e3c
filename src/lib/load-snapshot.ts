import { resolveDataDir } from '../../pipeline/config/settings.ts';
import type { Snapshot } from '../../pipeline/snapshot/schema.ts';
import { openStore } from '../../pipeline/store/db.ts';

/** The newest snapshot in $DOCKPEEK_DATA_DIR, read once per build; null before the first run. */
export async function loadSnapshot(): Promise<Snapshot | null> {
  const store = await openStore(resolveDataDir(undefined, process.env));
  return store.db.data.snapshot;
}
