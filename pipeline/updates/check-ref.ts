import type Docker from 'dockerode';
import { DeadlineError, withDeadline } from '../docker/read-host.ts';
import { describeError } from '../errors.ts';

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

/**
 * Ask the host's own daemon for the registry's current digest of `ref`
 * (GET /distribution/{ref}/json: read-only, no pull) and compare with the local repo digests.
 */
export async function checkRef(
  docker: Docker,
  ref: string,
  localDigests: string[],
  timeoutMs: number,
): Promise<RefCheck> {
  try {
    const answer = (await withDeadline(
      `GET /distribution/${ref}/json`,
      timeoutMs,
      (signal) =>
        new Promise<unknown>((resolve, reject) =>
          docker.modem.dial(
            {
              path: `/distribution/${ref}/json`,
              method: 'GET',
              abortSignal: signal,
              statusCodes: {
                200: true,
                401: 'unauthorized',
                403: 'forbidden',
                404: 'not found',
                500: 'server error',
              },
            } as Parameters<Docker['modem']['dial']>[0],
            (error: unknown, data: unknown) => (error ? reject(error) : resolve(data)),
          ),
        ),
    )) as { Descriptor?: { digest?: string } };
    const remoteDigest = answer?.Descriptor?.digest;
    if (!remoteDigest)
      return { status: 'unknown', reason: 'the registry answered without a digest' };
    const current = localDigests.some((d) => d.endsWith(`@${remoteDigest}`));
    return { status: current ? 'up_to_date' : 'update_available', remoteDigest };
  } catch (error) {
    if (error instanceof DeadlineError) return { status: 'unknown', reason: error.message };
    return { status: 'unknown', reason: explainRegistryError(error) };
  }
}

/** Daemon and registry errors, in the words a user can act on. */
export function explainRegistryError(error: unknown): string {
  const e = error as { statusCode?: number; json?: { message?: string }; code?: string };
  const detail = (e.json?.message ?? describeError(error)).trim();
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT')
    return `Docker host unreachable (${detail})`;
  if (
    /unauthorized|authentication required|denied|no basic auth/i.test(detail) ||
    e.statusCode === 401 ||
    e.statusCode === 403
  ) {
    return `authentication required (${firstLine(detail)})`;
  }
  if (/manifest unknown|not found|name unknown|no such/i.test(detail) || e.statusCode === 404)
    return `not found in the registry (${firstLine(detail)})`;
  if (/connection refused|no such host|timeout|i\/o timeout|dial tcp|EOF|unreachable/i.test(detail))
    return `registry unreachable (${firstLine(detail)})`;
  return firstLine(detail);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
