import path from 'node:path';

/**
 * How one trivy process scans, so that workers never collide on Trivy's cache lock:
 * - server: client/server mode, the server's cache, nothing local;
 * - memory: v0.68+, DB downloaded once, then `--cache-backend memory --skip-db-update`;
 * - per-worker: older versions, one cache dir per worker seeded with the DB downloaded once
 *   (into `dbFrom`, by default `<cacheRoot>/shared`).
 */
export type WorkerStrategy =
  /** cacheDir: only for the Java DB (a client's layer cache is the server's). */
  | { kind: 'server'; server: string; cacheDir: string }
  | { kind: 'memory'; cacheDir: string }
  | { kind: 'per-worker'; cacheRoot: string; dbFrom?: string };

/**
 * How a run scans: one worker strategy throughout, or a private `trivy server` the run starts
 * on 127.0.0.1 with its cache in `cacheDir` (kept across runs), and `fallback` if it fails.
 */
export type CacheStrategy =
  WorkerStrategy | { kind: 'private-server'; cacheDir: string; fallback: WorkerStrategy };

/** TRIVY_SCAN_STRATEGY: auto (a server: TRIVY_SERVER's, else a private one), server, memory. */
export type StrategyChoice = 'auto' | 'server' | 'memory';

/** The version from which a shared fs cache fails after 5 s and the memory backend is the fix. */
export const MEMORY_BACKEND_SINCE = [0, 68] as const;

/** Pick the strategy from `trivy --version` and the configuration. */
export function chooseStrategy(
  version: string | undefined,
  options: { cacheDir: string; serverCacheDir: string; server?: string; choice: StrategyChoice },
): CacheStrategy {
  const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
  const modern =
    version === undefined || major > MEMORY_BACKEND_SINCE[0] || minor >= MEMORY_BACKEND_SINCE[1];
  // Without a server: the memory backend, or per-worker caches where it does not exist.
  const local = (dbDir?: string): WorkerStrategy =>
    modern
      ? { kind: 'memory', cacheDir: dbDir ?? options.cacheDir }
      : { kind: 'per-worker', cacheRoot: options.cacheDir, ...(dbDir && { dbFrom: dbDir }) };
  if (options.choice === 'memory') return local();
  if (options.server) return { kind: 'server', server: options.server, cacheDir: options.cacheDir };
  // The fallback reads the DB this run downloaded into the server's cache dir.
  return {
    kind: 'private-server',
    cacheDir: options.serverCacheDir,
    fallback: local(options.serverCacheDir),
  };
}

/** The --cache-dir whose java-db folder the scans read: the DB's, or TRIVY_CACHE_DIR's for a shared server. */
export function javaCacheDir(strategy: CacheStrategy, cacheDir: string): string {
  return sharedCacheDir(strategy) ?? cacheDir;
}

/** Where the one DB download of a run goes. */
export function sharedCacheDir(strategy: CacheStrategy): string | undefined {
  if (strategy.kind === 'memory' || strategy.kind === 'private-server') return strategy.cacheDir;
  if (strategy.kind === 'per-worker')
    return strategy.dbFrom ?? path.join(strategy.cacheRoot, 'shared');
  return undefined;
}

/** The cache dir one worker scans with. */
export function workerCacheDir(strategy: WorkerStrategy, workerId: number): string | undefined {
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
  strategy: WorkerStrategy,
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
  if (strategy.kind === 'server')
    args.push('--server', strategy.server, '--cache-dir', strategy.cacheDir);
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
