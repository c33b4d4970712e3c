import path from 'node:path';

/**
 * How workers avoid colliding on Trivy's cache (SPEC §4):
 * - server: client/server mode, the server's cache, nothing local;
 * - memory: v0.68+, DB downloaded once, then `--cache-backend memory --skip-db-update`;
 * - per-worker: older versions, one cache dir per worker seeded with the DB downloaded once.
 */
export type CacheStrategy =
  | { kind: 'server'; server: string }
  | { kind: 'memory'; cacheDir: string }
  | { kind: 'per-worker'; cacheRoot: string };

/** The version from which a shared fs cache fails after 5 s and the memory backend is the fix. */
export const MEMORY_BACKEND_SINCE = [0, 68] as const;

/** Pick the strategy from `trivy --version` and the configuration. */
export function chooseStrategy(
  version: string | undefined,
  cacheDir: string,
  server?: string,
): CacheStrategy {
  if (server) return { kind: 'server', server };
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  const modern =
    version === undefined || major > MEMORY_BACKEND_SINCE[0] || minor >= MEMORY_BACKEND_SINCE[1];
  return modern ? { kind: 'memory', cacheDir } : { kind: 'per-worker', cacheRoot: cacheDir };
}

/** Where the one DB download of a run goes. */
export function sharedCacheDir(strategy: CacheStrategy): string | undefined {
  if (strategy.kind === 'memory') return strategy.cacheDir;
  if (strategy.kind === 'per-worker') return path.join(strategy.cacheRoot, 'shared');
  return undefined;
}

/** The cache dir one worker scans with. */
export function workerCacheDir(strategy: CacheStrategy, workerId: number): string | undefined {
  if (strategy.kind === 'memory') return strategy.cacheDir;
  if (strategy.kind === 'per-worker') return path.join(strategy.cacheRoot, `worker-${workerId}`);
  return undefined;
}

/**
 * Arguments for scanning one image. Always JSON, quiet, vulnerabilities only, with a timeout; the
 * reference comes last, after `--`, so that no reference is ever read as an option. The server
 * token is never an argument (any local user can read argv): trivy reads TRIVY_TOKEN itself.
 */
export function scanArgs(
  strategy: CacheStrategy,
  ref: string,
  timeoutMs: number,
  workerId: number,
): string[] {
  const args = [
    'image',
    '--format',
    'json',
    '--quiet',
    '--scanners',
    'vuln',
    '--timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
  ];
  // The host's own daemon first: a private-registry image that runs there needs no credentials.
  args.push('--image-src', 'docker,remote');
  if (strategy.kind === 'server') args.push('--server', strategy.server);
  else {
    args.push('--cache-dir', workerCacheDir(strategy, workerId)!, '--skip-db-update');
    if (strategy.kind === 'memory') args.push('--cache-backend', 'memory');
  }
  return [...args, '--', ref];
}

/** Arguments for the run's single DB download. */
export function downloadDbArgs(cacheDir: string, timeoutMs: number): string[] {
  return [
    'image',
    '--download-db-only',
    '--quiet',
    '--cache-dir',
    cacheDir,
    '--timeout',
    `${Math.ceil(timeoutMs / 1000)}s`,
  ];
}
