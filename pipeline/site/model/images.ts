import type { Finding } from '../../scan/trivy-report.ts';
import { imageKey } from '../../scan/schema.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { listFindings } from './findings.ts';
import { containerDomId, imageSlug } from './ids.ts';
import type { ImagePage } from './schema/images.ts';
import type { ImageState } from './summary.ts';

/** One page per distinct image of the current snapshot. */
export function buildImagePages(
  snapshot: Snapshot,
  images: ImageState[],
  refs: Map<string, string>,
  findings: Map<string, Finding[]>,
): ImagePage[] {
  const byKey = new Map<string, Snapshot['containers']>();
  for (const c of snapshot.containers)
    byKey.set(imageKey(c), [...(byKey.get(imageKey(c)) ?? []), c]);
  return images.map(({ key, security }) => {
    const containers = byKey.get(key) ?? [];
    const first = containers[0];
    return {
      key,
      slug: imageSlug(key),
      ref: refs.get(key) ?? first?.image ?? key,
      imageId: first?.imageId ?? '',
      repoDigests: first?.repoDigests ?? [],
      security,
      containers: containers
        .map((c) => ({ host: c.host, name: c.name, state: c.state, domId: containerDomId(c) }))
        .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name)),
      findings: listFindings(security, findings.get(key)),
    };
  });
}
