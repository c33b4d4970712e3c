import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseDuration } from '../config/duration.ts';
import { createError } from '../errors.ts';
import { CONFIG_ERRORS } from '../errors/config-errors.ts';
import { REPORT_NAME, reportsDir } from '../scan/reports.ts';
import { listArchives } from './archive.ts';
import { readArchiveSummary, removeArchiveSummary } from './archive-index.ts';
import type { Db } from './schema.ts';

/** How many archived snapshots to keep (DOCKPEEK_RETENTION). */
export type RetentionPolicy =
  | { kind: 'count'; keep: number }
  /** Every snapshot younger than `allMs`, then the newest of each UTC day younger than `dailyMs`. */
  | { kind: 'tiered'; allMs: number; dailyMs: number };

export const DEFAULT_RETENTION = '48h,90d';
const MAX_KEEP = 1_000_000;
const MAX_AGE_MS = 36_500 * 86_400_000;

/** "500" keeps the newest 500; "48h,90d" keeps all from 48 h, then one a day for 90 days. */
export function parseRetention(value: string | undefined): RetentionPolicy {
  const text = (value || DEFAULT_RETENTION).trim();
  if (/^\d+$/.test(text)) {
    const keep = Number(text);
    if (keep < 1 || keep > MAX_KEEP)
      throw createError(CONFIG_ERRORS.retentionCountOutOfRange, { value, max: MAX_KEEP });
    return { kind: 'count', keep };
  }
  const [all, daily, extra] = text.split(',');
  if (!all || !daily || extra !== undefined)
    throw createError(CONFIG_ERRORS.retentionForm, { value });
  const allMs = parseDuration(all, 'DOCKPEEK_RETENTION');
  const dailyMs = parseDuration(daily, 'DOCKPEEK_RETENTION');
  if (allMs > MAX_AGE_MS || dailyMs > MAX_AGE_MS)
    throw createError(CONFIG_ERRORS.retentionAgeOutOfRange, { value });
  return { kind: 'tiered', allMs, dailyMs };
}

/** The time an archive file name encodes (snapshot-2026-11-25T19-48-51-401Z.json). */
export function archiveTime(file: string): number {
  const m = /snapshot-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z\.json$/.exec(file);
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : Number.NaN;
}

/** Which archives a policy drops; the newest one is never among them. */
export function selectPrunable(files: string[], policy: RetentionPolicy, now: number): string[] {
  const sorted = [...files].sort((a, b) => archiveTime(b) - archiveTime(a));
  const keep = new Set(sorted.slice(0, 1));
  if (policy.kind === 'count') for (const f of sorted.slice(0, policy.keep)) keep.add(f);
  else {
    const days = new Set<string>();
    for (const f of sorted) {
      const age = now - archiveTime(f);
      const day = new Date(archiveTime(f)).toISOString().slice(0, 10);
      if (age <= policy.allMs) keep.add(f);
      else if (age <= policy.dailyMs && !days.has(day)) keep.add(f);
      days.add(day);
    }
  }
  return sorted.filter((f) => !keep.has(f));
}

/**
 * Apply the policy to data/archive/, then delete findings files that neither db.json nor any
 * kept archive refers to.
 */
export async function pruneArchives(
  dataDir: string,
  db: Db,
  policy: RetentionPolicy,
  now = Date.now(),
): Promise<{ archives: number; reports: number }> {
  const files = await listArchives(dataDir);
  const drop = selectPrunable(files, policy, now);
  for (const file of drop) {
    await rm(file, { force: true });
    await removeArchiveSummary(file);
  }
  const used = new Set(Object.values(db.scans).flatMap((r) => (r.report ? [r.report] : [])));
  // The findings files each kept snapshot shows, from its summary (no archive read when current).
  for (const file of files.filter((f) => !drop.includes(f)))
    for (const report of (await readArchiveSummary(file))?.referenced ?? []) used.add(report);
  let reports = 0;
  const names = await readdir(reportsDir(dataDir)).catch(() => [] as string[]);
  // Findings files only (NDJSON, or JSON arrays from older stores): never .incoming/ or a temp file.
  for (const name of names) {
    if (REPORT_NAME.test(name) && !used.has(name)) {
      await rm(path.join(reportsDir(dataDir), name), { force: true });
      reports += 1;
    }
  }
  return { archives: drop.length, reports };
}
