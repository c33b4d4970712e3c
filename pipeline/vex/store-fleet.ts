import { ownValue } from '../data-keys.ts';
import { imageKey } from '../scan/schema.ts';
import { readReport, reportsDir } from '../scan/reports.ts';
import type { Finding } from '../scan/trivy-report.ts';
import { readSnapshotStore } from '../store/read-db.ts';
import type { VexImage } from './match-image.ts';

/** One image of the current snapshot as rules see it, and how to read its findings. */
export interface FleetImage {
  image: VexImage;
  /** Null when the image has no readable findings (not scanned, failed, file gone). */
  findings(): Promise<Finding[] | null>;
}

/**
 * The images of the current snapshot, one per (reference, image id), read-only: db.json is
 * neither locked nor repaired. Null when there is no readable db.json or no snapshot.
 */
export async function readStoreFleet(
  dataDir: string,
): Promise<{ takenAt: string; images: FleetImage[] } | null> {
  const store = await readSnapshotStore(dataDir).catch(() => null);
  if (!store) return null;
  const db = store.data;
  const seen = new Map<string, FleetImage>();
  for (const container of db.snapshot.containers) {
    const key = `${container.image}\u0000${container.imageId}`;
    if (seen.has(key)) continue;
    const record = ownValue(db.scans, imageKey(container));
    const report = record?.status === 'scanned' ? record.report : undefined;
    seen.set(key, {
      image: {
        reference: container.image,
        repoDigests: container.repoDigests,
        imageId: container.imageId,
      },
      findings: () => (report ? readReport(reportsDir(dataDir), report) : Promise.resolve(null)),
    });
  }
  return { takenAt: db.snapshot.takenAt, images: [...seen.values()] };
}
