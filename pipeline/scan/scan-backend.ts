// What the workers of one scan run scan against. Usually fixed (memory, per-worker caches, a
// shared TRIVY_SERVER); with a private server it changes: the server is started, restarted once
// when it dies, and after a second failure the rest of the run falls back to `fallback`.
import { setTimeout as delay } from 'node:timers/promises';
import {
  isHealthy,
  startTrivyServer,
  type ServerOptions,
  type TrivyServer,
} from './trivy-server.ts';
import type { CacheStrategy, WorkerStrategy } from './trivy-args.ts';

/** What one scan uses: its strategy, the token for its environment, and which server it was. */
export interface Lease {
  strategy: WorkerStrategy;
  token?: string;
  generation: number;
}

export interface ScanBackend {
  /** Start what the run needs (the private server); a failure there falls back, said in notes. */
  start(): Promise<void>;
  /** The strategy to scan one image with now (waits while a server is being restarted). */
  lease(): Promise<Lease>;
  /**
   * After a failed scan: whether the private server it used is gone (dead, or not answering
   * /healthz), in which case the backend has moved on and the image deserves another try.
   */
  lost(lease: Lease): Promise<boolean>;
  /** Stop the private server, if one runs. */
  stop(): Promise<void>;
  /** "private server", "memory", "private server, then memory", … for the summary line. */
  label(): string;
  notes: string[];
}

/** Server starts per run: the first, and one restart. */
const MAX_STARTS = 2;

/** A backend for `strategy`; `token` is TRIVY_TOKEN, for a shared TRIVY_SERVER only. */
export function createScanBackend(
  strategy: CacheStrategy,
  options: Omit<ServerOptions, 'cacheDir'> & { token?: string },
): ScanBackend {
  const notes: string[] = [];
  if (strategy.kind !== 'private-server') {
    const lease: Lease = {
      strategy,
      generation: 0,
      ...(strategy.kind === 'server' && options.token && { token: options.token }),
    };
    return {
      start: async () => {},
      lease: async () => lease,
      lost: async () => false,
      stop: async () => {},
      label: () => strategy.kind,
      notes,
    };
  }

  const fallback = strategy.fallback;
  let current: Lease = { strategy: fallback, generation: 0 };
  let server: TrivyServer | undefined;
  let starts = 0;
  let stopping = false;
  let moving: Promise<void> | undefined;
  const used = new Set<string>();
  const settled = async () => {
    while (moving) await moving;
  };

  /**
   * Replace the server (stopping one that hangs first: it holds the cache lock), or past the
   * limit fall back. Leases of before are stale from the first line on; one move at a time.
   */
  const move = (why?: string): Promise<void> =>
    (moving ??= (async () => {
      const generation = current.generation + 1;
      current = { strategy: fallback, generation };
      const old = server;
      server = undefined;
      await old?.stop(1000);
      let reason = why;
      while (starts < MAX_STARTS && !stopping && !options.signal?.aborted) {
        if (reason) notes.push(`the private trivy server failed (${reason}); restarting it once`);
        starts += 1;
        const started = await startTrivyServer({ ...options, cacheDir: strategy.cacheDir });
        if (started.ok) {
          server = started.server;
          current = {
            strategy: { kind: 'server', server: server.url, cacheDir: strategy.cacheDir },
            token: server.token,
            generation,
          };
          used.add('private server');
          watch(started.server);
          return;
        }
        reason = started.reason;
      }
      used.add(fallback.kind);
      if (!stopping && !options.signal?.aborted)
        notes.push(
          `the private trivy server failed${starts > 1 ? ' again' : ''} (${reason}); scanning the rest with ${fallback.kind === 'memory' ? 'the memory cache' : 'per-worker caches'}: layers analysed from now on are not kept for the next run (TRIVY_SCAN_STRATEGY=memory skips the server)`,
        );
    })().finally(() => (moving = undefined)));

  // A server that exits while it is the run's server is replaced at once, not at the next failure.
  const watch = (watched: TrivyServer) =>
    void watched.exited.then((why) => {
      if (!stopping && server === watched) void move(`pid ${watched.pid} ${why}`);
    });

  return {
    start: () => move(),
    async lease() {
      await settled();
      return current;
    },
    async lost(lease) {
      if (lease.strategy.kind !== 'server') return false;
      const mine = server;
      if (!moving && current.generation === lease.generation && mine) {
        if (!mine.hasExited() && (await isHealthy(mine.url))) return false;
        // A crash shows as an exit within moments; a server that stays and does not answer hangs.
        const why = await Promise.race([
          mine.exited,
          delay(500).then(() => 'did not answer /healthz'),
        ]);
        if (server === mine && !moving) void move(`pid ${mine.pid} ${why}`);
      }
      await settled();
      return true;
    },
    async stop() {
      stopping = true;
      await settled();
      await server?.stop();
    },
    label: () => [...used].join(', then ') || fallback.kind,
    notes,
  };
}
