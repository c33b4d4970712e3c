import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { formatBytes } from '../config/bytes.ts';
import { escapeUnsafe } from '../safe-text.ts';
import { FeedError } from './feed-error.ts';
import {
  EPSS_HEADER,
  EpssMetaSchema,
  EpssRowSchema,
  type EpssMeta,
  type EpssScore,
} from './epss-schema.ts';
import { forEachLine } from './for-each-line.ts';

/** Rows are ~35 characters; a longer line is not FIRST's format (and must not grow memory). */
const MAX_LINE = 1024;
const COLUMN_NAMES = ['cve', 'epss', 'percentile'];

/** What a pass over an EPSS file found. */
export interface EpssScan {
  meta: EpssMeta;
  /** Rows validated (with `keep`: only the kept ones). */
  rows: number;
  gzip: boolean;
}

/** How to read an EPSS file. */
export interface EpssReadOptions {
  /** Cap of the gunzipped text in bytes (a gzip bomb stops there). */
  maxUnpacked: number;
  /** Names the file in errors. */
  what: string;
  /** Only rows whose CVE id passes are validated and given to onRow (the others are skipped). */
  keep?: (cve: string) => boolean;
  onRow?: (cve: string, score: EpssScore) => void;
}

/**
 * Stream an EPSS file (gzip or plain CSV, told by its first bytes), validate its lines, and call
 * `onRow` for each score. Memory stays a few chunks whatever the size. Throws FeedError naming
 * the file and the line.
 */
export async function scanEpssFile(file: string, options: EpssReadOptions): Promise<EpssScan> {
  const { maxUnpacked, what, keep, onRow } = options;
  const gzip = await startsWithGzipMagic(file);
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  const gunzip = gzip ? createGunzip() : undefined;
  // pipe() does not forward errors: a read error must still end the iteration over gunzip.
  raw.on('error', (error) => gunzip?.destroy(error));
  const input = gunzip ? raw.pipe(gunzip) : raw;
  let meta: EpssMeta | undefined;
  let rows = 0;
  const onLine = (text: string, number: number) => {
    if (number > 2) {
      if (text === '') return;
      // Reading for a few ids: the rest were validated when the file was downloaded.
      if (keep && !keep(text.slice(0, text.indexOf(',')))) return;
      const parsed = EpssRowSchema.safeParse(text.split(','));
      if (!parsed.success)
        throw new FeedError('invalid', `${what}: line ${number}: ${describeRow(parsed.error)}`);
      const [cve, epss, percentile] = parsed.data;
      rows += 1;
      onRow?.(cve, { epss, percentile });
    } else if (number === 1) meta = parseMetaLine(text, `${what}: line 1`);
    else if (text !== EPSS_HEADER)
      throw new FeedError(
        'invalid',
        `${what}: line 2: header ${quote(text)} is not ${EPSS_HEADER}`,
      );
  };
  try {
    await forEachLine(capped(input, maxUnpacked, what), MAX_LINE, what, onLine);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code?.startsWith('Z_'))
      throw new FeedError(
        'bad_gzip',
        `${what}: not a complete gzip stream (${(error as Error).message})`,
      );
    throw error;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
  if (!meta) throw new FeedError('invalid', `${what}: empty`);
  if (rows === 0 && !keep) throw new FeedError('invalid', `${what}: no scores after the header`);
  return { meta, rows, gzip };
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The unpacked text, failing with too_large past `max` bytes (a gzip bomb stops there). */
async function* capped(input: AsyncIterable<Buffer>, max: number, what: string) {
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    if (total > max)
      throw new FeedError('too_large', `${what}: more than ${formatBytes(max)} once gunzipped`);
    yield chunk;
  }
}

function parseMetaLine(text: string, at: string): EpssMeta {
  const match = /^#model_version:([^,]*),score_date:(.*)$/.exec(text);
  if (!match)
    throw new FeedError('invalid', `${at}: ${quote(text)} is not #model_version:…,score_date:…`);
  const parsed = EpssMetaSchema.safeParse({ modelVersion: match[1], scoreDate: match[2] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FeedError('invalid', `${at}: ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

function describeRow(error: {
  issues: Array<{ path: PropertyKey[]; message: string; code: string }>;
}) {
  const issue = error.issues[0]!;
  if (issue.path.length === 0) return `expected 3 columns (${EPSS_HEADER})`;
  const column = COLUMN_NAMES[Number(issue.path[0])] ?? String(issue.path[0]);
  return `${column}: ${issue.message}`;
}

// A value of the feed in a message: JSON escapes its C0 controls, escapeUnsafe the rest.
function quote(text: string): string {
  return escapeUnsafe(JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text));
}
