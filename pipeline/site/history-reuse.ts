// Snapshot pages do not change once rendered unless their inputs do, and with a year of history
// they are most of a build. The build renders only the pages whose fingerprint differs from the
// published release's and hard-links the others from it (history-pages.ts), so the kept releases
// also share them on disk.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ArchiveEntry } from './model/history.ts';

/** In each release: the fingerprint of every snapshot, CVE and image page, for the next build. */
export const FINGERPRINTS_FILE = '.dockpeek-pages.json';
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const offset = z.number().int().nonnegative();
const FingerprintsSchema = z.object({
  /** By snapshot id. */
  history: z.record(z.string(), sha256),
  /** CVE and image pages, by file (render/shell-reuse.ts). */
  shells: z.record(z.string(), z.object({ fingerprint: sha256, shell: z.tuple([offset, offset]) })),
});
export type ReleaseFingerprints = z.infer<typeof FingerprintsSchema>;

/** Where a snapshot's page lives in a release. */
export function pagePath(id: string): string {
  return path.join('history', `${id}.html`);
}

/** What reuse depends on besides the snapshots: the code, and the published release. */
export interface ReuseInputs {
  /** Hash of the code that renders pages; a new version renders everything again. */
  codeHash: string;
  /** The published release, and the fingerprints it recorded (readFingerprints). */
  previousRelease?: string;
  previousFingerprints: Record<string, string>;
}

export interface ReusePlan {
  render: string[];
  reuse: string[];
  fingerprints: Record<string, string>;
}

/**
 * Decide which snapshot pages to render. A page depends on its snapshot, the one before it, the
 * findings files both still have, which of its images have pages now, and the code; its
 * fingerprint hashes exactly those.
 */
export async function planHistoryPages(
  entries: ArchiveEntry[],
  linkable: Set<string>,
  exists: (report: string) => Promise<boolean>,
  inputs: ReuseInputs,
): Promise<ReusePlan> {
  const previous = inputs.previousFingerprints;
  const plan: ReusePlan = { render: [], reuse: [], fingerprints: {} };
  const present = async (e: ArchiveEntry) => {
    const found: string[] = [];
    for (const name of e.reports) if (await exists(name)) found.push(name);
    return [e.id, e.fileStamp, found.sort()];
  };
  for (const [i, entry] of entries.entries()) {
    const before = entries[i - 1];
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          inputs.codeHash,
          entry.keys.filter((key) => linkable.has(key)),
          await present(entry),
          before ? await present(before) : null,
        ]),
      )
      .digest('hex');
    plan.fingerprints[entry.id] = fingerprint;
    const old = inputs.previousRelease && path.join(inputs.previousRelease, pagePath(entry.id));
    if (old && previous[entry.id] === fingerprint && existsSync(old)) plan.reuse.push(entry.id);
    else plan.render.push(entry.id);
  }
  return plan;
}

/** The fingerprints a release recorded; none when it has no valid file (or an older format). */
export function readFingerprints(release: string): ReleaseFingerprints {
  try {
    const parsed = FingerprintsSchema.safeParse(
      JSON.parse(readFileSync(path.join(release, FINGERPRINTS_FILE), 'utf8')),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or not JSON: nothing is reused.
  }
  return { history: {}, shells: {} };
}

/** What renders the pages: every source file under src/ and pipeline/, and package.json. */
export async function hashCode(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const folder of ['src', 'pipeline']) {
    const files = await readdir(path.join(root, folder), { recursive: true, withFileTypes: true });
    const names = files
      .filter((f) => f.isFile())
      .map((f) => path.join(f.parentPath, f.name))
      .sort();
    for (const file of names) hash.update(file.slice(root.length)).update(await readFile(file));
  }
  return hash.update(await readFile(path.join(root, 'package.json'))).digest('hex');
}
