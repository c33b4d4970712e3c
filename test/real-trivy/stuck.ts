// The seed's stuck scanner, with the real Trivy: many plain `trivy image` processes at once on one
// cache folder, the way a naive scheduler runs them. Each finds no DB, downloads it, and deletes
// and unpacks the shared db/ folder while the others read it (no lock between processes): scans
// fail, or crash inside bbolt. DockPeek's way on the same images and mirror is the other half.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.ts';
import type { RealLab } from './lab.ts';
import { runTrivy } from './processes.ts';
import { readStored } from './stored.ts';
import type { RealTools } from './tools.ts';

export interface PlainRun {
  ref: string;
  exitCode: number;
  /** Trivy's FATAL line, or a Go panic's first line, or nothing. */
  error?: string;
  ms: number;
}

/** The first line that says why a run failed: a FATAL line or a Go panic. */
export function failureLine(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  const line = lines.find((l) => /\tFATAL\t|^panic: |^fatal error: /.test(l));
  return line?.replace(/^\S+\tFATAL\tFatal error\t/, '');
}

/** `copies` plain trivy processes per image of the lab, all at once, sharing one cache dir. */
export async function plainParallelScan(
  lab: RealLab,
  tools: RealTools,
  mirror: string,
  copies = 2,
): Promise<PlainRun[]> {
  const cache = mkdtempSync(path.join(tmpdir(), 'dpk-stuck-cache-'));
  const cwd = mkdtempSync(path.join(tmpdir(), 'dpk-stuck-cwd-'));
  const refs = Array.from({ length: copies }, () => lab.carried.map((c) => c.image.ref)).flat();
  return Promise.all(
    refs.map(async (ref) => {
      const started = performance.now();
      const run = await runTrivy(
        tools.trivy,
        ['image', '--format', 'json', '--quiet', '--cache-dir', cache, '--timeout', '120s', ref],
        {
          cwd,
          env: {
            DOCKER_HOST: `unix://${lab.daemon.socket}`,
            HOME: cwd,
            TRIVY_DB_REPOSITORY: `${mirror}/aquasec/trivy-db:2`,
            TRIVY_JAVA_DB_REPOSITORY: `${mirror}/aquasec/trivy-java-db:1`,
            // Only to keep the run offline; it changes nothing about the cache.
            TRIVY_SKIP_VERSION_CHECK: 'true',
            TRIVY_DISABLE_TELEMETRY: 'true',
          },
        },
      );
      const error = run.exitCode === 0 ? undefined : failureLine(String(run.stderr));
      return {
        ref,
        exitCode: run.exitCode ?? -1,
        ...(error && { error }),
        ms: Math.round(performance.now() - started),
      };
    }),
  );
}

/** DockPeek's scan of the same images through the same mirror, `workers` at once. */
export async function productScan(
  lab: RealLab,
  mirror: string,
  workers: number,
  strategy: 'auto' | 'memory',
) {
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-stuck-product-'));
  const env: Record<string, string> = {
    ...lab.env(root),
    TRIVY_DB_REPOSITORY: `${mirror}/aquasec/trivy-db:2`,
    TRIVY_JAVA_DB_REPOSITORY: `${mirror}/aquasec/trivy-java-db:1`,
    TRIVY_SCAN_WORKERS: String(workers),
    TRIVY_SCAN_STRATEGY: strategy,
  };
  const started = performance.now();
  const snapshot = await runCli(['snapshot'], env);
  if (snapshot.exitCode !== 0) throw new Error(snapshot.stderr);
  const run = await runCli(['scan'], env);
  const stored = [...readStored(env.DOCKPEEK_DATA_DIR!).entries()].map(([name, s]) => ({
    name,
    status: s.status,
    ...(s.error && { error: `${s.error.code}: ${s.error.message.split('\n')[0]}` }),
  }));
  return {
    exitCode: run.exitCode,
    stderr: run.stderr,
    dataDir: env.DOCKPEEK_DATA_DIR!,
    stored,
    ms: Math.round(performance.now() - started),
  };
}
