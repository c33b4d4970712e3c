// Trivy's Java DB (<cache>/java-db), which it needs to scan jar files. Left to itself, every trivy
// process that meets a jar downloads it into the shared cache, deleting and unpacking the folder
// with no lock between processes: parallel first downloads collide, and offline scans fail. So
// scans run with TRIVY_SKIP_JAVA_DB_UPDATE, and the DB is downloaded at most once per run, here:
// refreshed before the scans when it exists and is due (Trivy's own rule), and
// downloaded the first time a scan needs it (a fleet without jars never pays for it).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { classifyFailure } from './classify.ts';
import { runProcess } from './run-process.ts';

/** Trivy's error when a scan meets a jar and no Java DB is there. */
export const JAVA_DB_MISSING = "'--skip-java-db-update' cannot be specified on the first run";

export interface JavaDbOptions {
  bin: string;
  /** The --cache-dir the scans use; the Java DB is its java-db folder. */
  cacheDir: string;
  env: Record<string, string>;
  cwd: string;
  deadlineMs: number;
  signal?: AbortSignal;
}

export type JavaDbState = { ok: true } | { ok: false; message: string };

export interface JavaDb {
  cacheDir: string;
  /** Before the scans: update a Java DB that is there; a note when that failed. */
  refresh(): Promise<string | undefined>;
  /** A scan needs it: download it, once per run, whoever asks and however often. */
  ensure(): Promise<JavaDbState>;
}

export function hasJavaDb(cacheDir: string): boolean {
  return existsSync(path.join(cacheDir, 'java-db', 'metadata.json'));
}

const MetadataSchema = z.object({
  Version: z.number(),
  NextUpdate: z.string(),
  DownloadedAt: z.string(),
});

/**
 * Whether Trivy would download the Java DB now (pkg/javadb: schema 1, and due once NextUpdate has
 * passed and the last download is a day old). Read here so that a run whose Java DB is fresh
 * starts no trivy process for it; anything unreadable is left to Trivy.
 */
export function javaDbDue(cacheDir: string, now = Date.now()): boolean {
  try {
    const file = path.join(cacheDir, 'java-db', 'metadata.json');
    const meta = MetadataSchema.parse(JSON.parse(readFileSync(file, 'utf8').slice(0, 4096)));
    if (meta.Version !== 1) return true;
    return now >= Date.parse(meta.NextUpdate) && now >= Date.parse(meta.DownloadedAt) + 24 * 3600e3;
  } catch {
    return true;
  }
}

export function createJavaDb(options: JavaDbOptions): JavaDb {
  let download: Promise<JavaDbState> | undefined;
  const run = async (): Promise<JavaDbState> => {
    const result = await runProcess(
      options.bin,
      ['image', '--download-java-db-only', '--quiet', '--cache-dir', options.cacheDir],
      {
        env: options.env,
        cwd: options.cwd,
        deadlineMs: options.deadlineMs,
        maxOutputBytes: 1 << 20,
        ...(options.signal && { signal: options.signal }),
      },
    );
    if (result.exitCode === 0 && hasJavaDb(options.cacheDir)) return { ok: true };
    const why = result.killedAtDeadline
      ? 'the download did not finish in time'
      : classifyFailure(result.stderr, result.exitCode).message.split('\n')[0]!;
    return { ok: false, message: why };
  };
  return {
    cacheDir: options.cacheDir,
    async refresh() {
      if (!hasJavaDb(options.cacheDir) || !javaDbDue(options.cacheDir)) return undefined;
      download = run();
      const state = await download;
      // Trivy keeps the DB it had when a download fails: scans go on with it, if it is there.
      download = Promise.resolve(hasJavaDb(options.cacheDir) ? { ok: true } : state);
      return state.ok
        ? undefined
        : `Java DB update failed (${state.message}); scanning jars with the cached Java DB`;
    },
    ensure: () => (download ??= run()),
  };
}
