// Made-up EPSS files in FIRST's published format (comment line, header, `cve,epss,percentile`
// rows). The scores are invented by a seeded generator: never real EPSS data.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export interface MadeUpEpss {
  /** Data rows, `include` first. */
  rows: number;
  /** CVE ids to put first (with made-up scores), e.g. the ids of a real Trivy report. */
  include?: string[];
  gzip?: boolean;
  /** The first line, as FIRST writes it; override to test bad files. */
  comment?: string;
  header?: string;
}

export const MADE_UP_COMMENT = '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000';

/** The lines of a made-up file, generated lazily so 300k rows never sit in memory. */
export function* madeUpEpssLines(spec: MadeUpEpss): Generator<string> {
  let seed = 0x2f6b3a1d;
  // mulberry32: a tiny seeded generator, so every run writes the same file.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  yield `${spec.comment ?? MADE_UP_COMMENT}\n`;
  yield `${spec.header ?? 'cve,epss,percentile'}\n`;
  const include = spec.include ?? [];
  // Batches of rows: one stream chunk per line would make writing 300k rows take half a minute.
  let batch = '';
  for (let i = 0; i < spec.rows; i++) {
    const id = include[i] ?? `CVE-${1999 + (i % 27)}-${String(100_000 + i).padStart(6, '0')}`;
    batch += `${id},${(random() ** 4).toFixed(5)},${random().toFixed(5)}\n`;
    if (i % 2000 === 1999) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Write a made-up EPSS file (gzip unless `gzip: false`). */
export async function writeMadeUpEpss(file: string, spec: MadeUpEpss): Promise<void> {
  const lines = Readable.from(madeUpEpssLines(spec));
  if (spec.gzip === false) await pipeline(lines, createWriteStream(file));
  else await pipeline(lines, createGzip(), createWriteStream(file));
}
