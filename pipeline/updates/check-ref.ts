import { z } from 'zod';
import type { DockerClient } from '../docker/client.ts';
import type { HostFailure } from '../docker/host-failure.ts';
import { distributionPath, isPlausibleReference } from './reference.ts';

export type RefCheck =
  | { status: 'update_available' | 'up_to_date'; remoteDigest: string }
  | { status: 'unknown'; reason: string };

/** The repository of a reference or repo digest, normalised (nginx → docker.io/library/nginx). */
export function repositoryOf(ref: string): string {
  let name = ref.split('@')[0]!;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  const first = name.split('/')[0]!;
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return name;
  return name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
}

/** The repo digests that belong to the reference's own repository (an image may carry others). */
export function digestsFor(ref: string, repoDigests: string[]): string[] {
  const repository = repositoryOf(ref);
  return repoDigests.filter((d) => repositoryOf(d) === repository).sort();
}

/** Why a reference cannot be checked at all, without asking anything; undefined when it can. */
export function uncheckable(ref: string, localDigests: string[]): string | undefined {
  if (ref.includes('@sha256:')) return 'pinned by digest';
  if (ref.startsWith('sha256:') || !ref) {
    return 'the container runs an image no tag names any more (pulled a newer one but not recreated, or removed)';
  }
  if (localDigests.length === 0) return 'local-only image (built or imported here, no repo digest)';
  return undefined;
}

const DistributionSchema = z.object({
  Descriptor: z
    .object({
      digest: z
        .string()
        .regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-f0-9]{32,}$/)
        .optional(),
    })
    .optional(),
});

/**
 * Ask the host's own daemon for the registry's current digest of `ref`
 * (GET /distribution/{ref}/json: read-only, no pull) and compare with the local repo digests.
 */
export async function checkRef(
  client: DockerClient,
  ref: string,
  localDigests: string[],
  timeoutMs: number,
): Promise<RefCheck> {
  if (!isPlausibleReference(ref))
    return { status: 'unknown', reason: 'not a valid image reference; the registry was not asked' };
  const answer = await client.getObject(
    distributionPath(ref),
    `GET /distribution/${ref}/json`,
    DistributionSchema,
    timeoutMs,
  );
  if (!answer.ok) return { status: 'unknown', reason: explainRegistryError(answer.failure) };
  const remoteDigest = answer.value.Descriptor?.digest;
  if (!remoteDigest) return { status: 'unknown', reason: 'the registry answered without a digest' };
  const current = localDigests.some((d) => d.endsWith(`@${remoteDigest}`));
  return { status: current ? 'up_to_date' : 'update_available', remoteDigest };
}

/** Daemon and registry failures, in the words a user can act on. */
export function explainRegistryError(failure: HostFailure): string {
  if (failure.code === 'connection_refused' || failure.code === 'socket_missing')
    return `Docker host unreachable (${failure.message})`;
  if (failure.code !== 'http_error') return failure.message;
  const detail = failure.detail ?? failure.message;
  if (
    /unauthorized|authentication required|denied|no basic auth/i.test(detail) ||
    failure.status === 401 ||
    failure.status === 403
  ) {
    return `authentication required (${firstLine(detail)})`;
  }
  if (/manifest unknown|not found|name unknown|no such/i.test(detail) || failure.status === 404)
    return `not found in the registry (${firstLine(detail)})`;
  if (/connection refused|no such host|timeout|i\/o timeout|dial tcp|EOF|unreachable/i.test(detail))
    return `registry unreachable (${firstLine(detail)})`;
  return firstLine(detail);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
