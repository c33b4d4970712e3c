// Docker image references as the daemon and registries write them, normalised so that
// "nginx", "docker.io/library/nginx:latest" and "index.docker.io/library/nginx" compare equal.

/** A parsed image reference: a normalised repository, with its tag and/or digest if given. */
export interface ImageRef {
  /** registry/path, e.g. docker.io/library/nginx or ghcr.io/org/app. */
  repository: string;
  tag?: string;
  /** sha256:<64 hex>. */
  digest?: string;
}

const DOCKER_HUB = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
  'hub.docker.com',
]);
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

/** Whether `text` is a content digest (sha256:<64 hex>). */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Parse `[registry/]path[:tag][@digest]`; null when it is not an image reference. */
export function parseImageRef(text: string): ImageRef | null {
  let rest = text.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) return null;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return null;
  }
  const repository = normaliseRepository(rest);
  if (!repository) return null;
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** A repository name normalised (Docker Hub's aliases and library/ filled in); null if invalid. */
export function normaliseRepository(name: string): string | null {
  const parts = name.replace(/^[a-z]+:\/\//i, '').split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (/[.:]/.test(first) || first === 'localhost');
  let registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  if (DOCKER_HUB.has(registry)) registry = 'docker.io';
  const path = (hasRegistry ? parts.slice(1) : parts).join('/');
  if (!PATH.test(path) || !/^[a-z0-9.-]+(:\d+)?$/.test(registry)) return null;
  return `${registry}/${registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path}`;
}
