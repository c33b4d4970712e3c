import { imageKey } from '../../scan/schema.ts';
import type { Snapshot } from '../../snapshot/schema.ts';
import { listFindings, type EpssOf } from './findings.ts';
import { containerDomId, imageSlug } from '../../findings/ids.ts';
import type { ImageDigest } from './image-digest.ts';
import type { ImagePage } from './schema/images.ts';
import type { ImageState } from './summary.ts';

/** Where each image of a snapshot is: its page's slug, its reference, the containers running it. */
export type ImagePlaces = Map<
  string,
  Pick<ImagePage, 'slug' | 'ref' | 'imageId' | 'repoDigests' | 'containers'>
>;

/** The places of every distinct image of the snapshot, by image key. */
export function placeImages(snapshot: Snapshot, refs: Map<string, string>): ImagePlaces {
  const places: ImagePlaces = new Map();
  for (const c of snapshot.containers) {
    const key = imageKey(c);
    if (!places.has(key))
      places.set(key, {
        slug: imageSlug(key),
        ref: refs.get(key) ?? c.image,
        imageId: c.imageId,
        repoDigests: c.repoDigests,
        containers: [],
      });
    places
      .get(key)!
      .containers.push({ host: c.host, name: c.name, state: c.state, domId: containerDomId(c) });
  }
  for (const place of places.values())
    place.containers.sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name));
  return places;
}

/** One page per distinct image of the current snapshot. */
export function buildImagePages(
  images: ImageState[],
  places: ImagePlaces,
  digests: Map<string, ImageDigest>,
  paged: (id: string) => boolean,
  epssOf?: EpssOf,
  accepted: Map<string, ImagePage['accepted']> = new Map(),
): ImagePage[] {
  return images.map(({ key, security }) => ({
    key,
    ...places.get(key)!,
    security,
    findings: listFindings(security, digests.get(key), paged, epssOf),
    accepted: accepted.get(key) ?? [],
  }));
}

/**
 * Image pages with what their findings lists need from the whole fleet: the Fix-first mark on
 * each row whose id is on the list, and whether KEV and EPSS data exist at all (without them a
 * filter could only say "unknown"). Part of the page's entry, so a reused page is never stale.
 */
export function markImagePages(
  pages: ImagePage[],
  onFixFirst: ReadonlySet<string>,
  feeds: ImagePage['feeds'],
): ImagePage[] {
  return pages.map((page) => ({
    ...page,
    feeds,
    findings:
      page.findings.state === 'listed'
        ? {
            ...page.findings,
            rows: page.findings.rows.map((row) =>
              onFixFirst.has(row.id) ? { ...row, fixFirst: true as const } : row,
            ),
          }
        : page.findings,
  }));
}
