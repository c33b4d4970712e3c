import type { StoreData } from '../../store/read-db.ts';
import type { Reporter } from '../../reporter.ts';

/** Say plainly that db.json was rejected, where it went, and what replaced it. */
export function reportRecovery(store: Pick<StoreData, 'file' | 'recovery'>, out: Reporter): void {
  const recovery = store.recovery;
  if (!recovery) return;
  out.warn(`${store.file} was unreadable (${recovery.reason}).`);
  out.warn(`The damaged file was kept as ${recovery.movedTo}.`);
  out.warn(
    recovery.restoredFrom
      ? `Restored the newest archived snapshot, ${recovery.restoredFrom}.`
      : 'No archived snapshot was found; starting from an empty store.',
  );
}
