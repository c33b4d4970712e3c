import { isDigest, parseImageRef } from './image-ref.ts';
import { parsePurl } from './purl.ts';
import type { ImageSelector } from './rule.ts';

/**
 * A `images:` entry of a .trivyignore.yaml: a digest (sha256:…, the image id or a repo digest)
 * or a reference (nginx, nginx:1.27, ghcr.io/org/app@sha256:…). A reference without a tag names
 * every tag of the repository. Null when it is neither.
 */
export function selectorFromReference(text: string): ImageSelector | null {
  if (isDigest(text)) return { digest: text };
  const ref = parseImageRef(text);
  if (!ref) return null;
  return {
    repository: ref.repository,
    ...(ref.tag && { tag: ref.tag }),
    ...(ref.digest && { digest: ref.digest }),
  };
}

/**
 * An OpenVEX product that is an image: pkg:oci/<name>@<digest>?repository_url=…&tag=… or
 * pkg:docker/<namespace>/<name>@<tag|digest|id prefix>?repository_url=…. Undefined when the purl
 * is of another type (a package), null when it is an image purl that names nothing usable.
 */
export function selectorFromImagePurl(text: string): ImageSelector | null | undefined {
  const purl = parsePurl(text);
  if (!purl || (purl.type !== 'oci' && purl.type !== 'docker')) return undefined;
  const version = purl.version;
  const selector: ImageSelector = {};
  if (version && isDigest(version)) selector.digest = version;
  else if (version && purl.type === 'docker' && /^[0-9a-f]{12,64}$/.test(version))
    selector.idPrefix = version;
  else if (version) selector.tag = version;
  if (purl.qualifiers.tag) selector.tag = purl.qualifiers.tag;
  const registry = purl.qualifiers.repository_url;
  if (purl.type === 'oci') {
    if (registry) {
      const ref = parseImageRef(registry);
      if (!ref) return null;
      selector.repository = ref.repository;
    } else selector.name = purl.name;
  } else {
    const host = registry ? registry.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '') : 'docker.io';
    const path = [purl.namespace, purl.name].filter(Boolean).join('/');
    const ref = parseImageRef(`${host}/${path}`);
    if (!ref) return null;
    selector.repository = ref.repository;
  }
  return selector;
}
