import { parseImageRef, type ImageRef } from './image-ref.ts';
import type { ImageSelector } from './rule.ts';

/** An image as the store knows it: the reference a container uses, repo digests, image id. */
export interface VexImage {
  reference: string;
  repoDigests?: string[];
  /** sha256:… */
  imageId?: string;
}

/** Whether `selector` names `image`: every field it has must match. */
export function imageMatches(selector: ImageSelector, image: VexImage): boolean {
  const reference = parseImageRef(image.reference);
  const digests = (image.repoDigests ?? [])
    .map((d) => parseImageRef(d))
    .filter((r): r is ImageRef => r !== null);
  const repositories = new Set([reference, ...digests].flatMap((r) => (r ? [r.repository] : [])));
  if (selector.repository && !repositories.has(selector.repository)) return false;
  if (selector.name && ![...repositories].some((r) => r.split('/').pop() === selector.name))
    return false;
  if (selector.digest) {
    const known = [image.imageId, reference?.digest, ...digests.map((d) => d.digest)];
    if (!known.includes(selector.digest)) return false;
  }
  if (selector.tag) {
    // A reference without tag or digest means :latest, as docker reads it.
    const tag = reference?.tag ?? (reference?.digest ? undefined : 'latest');
    if (tag !== selector.tag) return false;
  }
  if (selector.idPrefix) {
    const hex = image.imageId?.replace(/^sha256:/, '') ?? '';
    if (!hex.startsWith(selector.idPrefix)) return false;
  }
  return true;
}
