import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { z } from 'zod';
import { CAPS, FindingSchema, cut, type Finding } from './finding.ts';

// Full findings of one image live in their own file, so db.json stays small as fleets grow. A
// file is NDJSON, one finding per line, written and read as a stream; its name is derived from its
// content, so identical reports share one file. Stores written before 1.2 hold JSON arrays
// (<hash>.json), which are still read.

/** A findings file name: 32 hex digits of the content's hash, NDJSON or (legacy) a JSON array. */
export const REPORT_NAME = /^[0-9a-f]{32}\.(ndjson|json)$/;

/** A line longer than this is damage, not a finding (the longest real one is a few KiB). */
const MAX_LINE = 1024 * 1024;
const WRITE_BATCH = 64 * 1024;

/** Where findings files live. */
export function reportsDir(dataDir: string): string {
  return path.join(dataDir, 'reports');
}

/** Work in progress (trivy's stdout, findings being written): same file system, never a report. */
export function incomingDir(reports: string): string {
  return path.join(reports, '.incoming');
}

/** Write findings as NDJSON under a name derived from their content; returns the name. */
export async function writeReport(
  dir: string,
  findings: Iterable<Finding> | AsyncIterable<Finding>,
): Promise<string> {
  await mkdir(incomingDir(dir), { recursive: true });
  const temp = path.join(incomingDir(dir), `${randomUUID()}.ndjson`);
  const hash = createHash('sha256');
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  try {
    let batch = '';
    for await (const finding of findings) {
      batch += `${JSON.stringify(finding)}\n`;
      if (batch.length < WRITE_BATCH) continue;
      hash.update(batch);
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
    hash.update(batch);
    out.end(batch);
    await finished(out);
    // On disk before db.json can name it.
    const handle = await open(temp, 'r+');
    await handle.sync().finally(() => handle.close());
    const name = `${hash.digest('hex').slice(0, 32)}.ndjson`;
    // Same name, same content: renaming over an existing copy changes nothing readers see.
    await rename(temp, path.join(dir, name));
    return name;
  } finally {
    out.destroy();
    await rm(temp, { force: true });
  }
}

/**
 * One image's findings, one at a time, validated; throws when the name is not a findings file
 * name, or the file is missing or damaged.
 */
export async function* streamFindings(dir: string, name: string): AsyncIterable<Finding> {
  if (!REPORT_NAME.test(name)) throw new Error(`not a findings file name: ${JSON.stringify(name)}`);
  const file = path.join(dir, name);
  if (name.endsWith('.json')) {
    yield* LegacyReportSchema.parse(JSON.parse(await readFile(file, 'utf8')));
    return;
  }
  for await (const line of readLines(file)) {
    if (line) yield FindingSchema.parse(JSON.parse(line));
  }
}

/** Read one image's findings whole (site pages, small reports); null when missing or damaged. */
export async function readReport(dir: string, name: string): Promise<Finding[] | null> {
  try {
    const findings: Finding[] = [];
    for await (const finding of streamFindings(dir, name)) findings.push(finding);
    return findings;
  } catch {
    return null;
  }
}

/** Before 1.2 titles were stored uncut; everything else had the same shape. */
const LegacyReportSchema = z.array(
  FindingSchema.extend({
    title: z
      .string()
      .transform((title) => cut(title, CAPS.short))
      .optional(),
  }),
);

/** The lines of a file, each at most MAX_LINE bytes, without holding more than one. */
async function* readLines(file: string): AsyncIterable<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, from)) {
      pending.push(chunk.subarray(from, at));
      yield Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      from = at + 1;
    }
    pending.push(chunk.subarray(from));
    pendingBytes += chunk.length - from;
    if (pendingBytes > MAX_LINE) throw new Error(`${file}: a line longer than ${MAX_LINE} bytes`);
  }
  if (pendingBytes) yield Buffer.concat(pending).toString('utf8');
}
