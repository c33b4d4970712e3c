import type { StateCounts } from '../../pipeline/site/model/index.ts';

/** What a severity figure covers: "in all 43 images", "in 37 of 43 images; 6 unknown", … */
export function describeCoverage(images: StateCounts): string {
  const unknown = images.failed + images.pending + images.notScanned;
  const scannable = images.total - images.skipped;
  const skipped = images.skipped ? `; ${images.skipped} skipped by label` : '';
  if (images.scanned === 0) {
    if (images.failed === 0) return `unknown: no image scanned${skipped}`;
    const failed =
      images.failed === scannable
        ? `all ${scannable} scans failed`
        : `${images.failed} of ${scannable} scans failed`;
    const rest = unknown - images.failed;
    return `unknown: ${failed}${rest ? `, ${rest} not scanned` : ''}${skipped}`;
  }
  if (unknown === 0) return `in all ${images.scanned} scanned images${skipped}`;
  return `in ${images.scanned} of ${scannable} images; ${unknown} unknown${skipped}`;
}
