import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { escapeUnsafe } from '../safe-text.ts';
import type { Finding } from './finding.ts';
import { createJsonTokenizer } from './json-tokenizer.ts';
import { createReportReader, type ImageOs } from './report-reader.ts';

/** trivy's stdout read as a report, or why it is not one. */
export type ParsedReport =
  { ok: true; findings: Finding[]; os?: ImageOs } | { ok: false; message: string };

const HEAD_BYTES = 8192;
const CHUNK_BYTES = 256 * 1024;

/**
 * A parser fed trivy's stdout in chunks. Everything is checked in one pass, in the order a whole
 * read would: UTF-8 first (Trivy only writes UTF-8; other bytes mean mangled output), then JSON
 * syntax to the end, then the report's shape. After a shape error the rest is still tokenized,
 * unkept, so that a later syntax or encoding error is the one reported.
 */
export function createReportParser() {
  const reader = createReportReader();
  const tokens = createJsonTokenizer(reader);
  const utf8 = createUtf8Check();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  // The first bytes wait until we know whether they are a byte order mark (tolerated, skipped).
  let start: Buffer | undefined = Buffer.alloc(0);
  const feed = (bytes: Buffer) => {
    utf8.write(bytes);
    if (utf8.ok && tokens.error === undefined) tokens.write(bytes);
  };
  return {
    write(chunk: Uint8Array): void {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (headBytes < HEAD_BYTES) {
        head.push(Uint8Array.from(bytes.subarray(0, HEAD_BYTES - headBytes)));
        headBytes += Math.min(bytes.length, HEAD_BYTES - headBytes);
      }
      if (!start) return feed(bytes);
      start = Buffer.concat([start, bytes]);
      if (start.length < BOM.length && BOM.subarray(0, start.length).equals(start)) return;
      const first = start.subarray(BOM.equals(start.subarray(0, BOM.length)) ? BOM.length : 0);
      start = undefined;
      feed(first);
    },
    end(): ParsedReport {
      if (start) feed(start.subarray(BOM.equals(start) ? BOM.length : 0));
      utf8.end();
      const began = new TextDecoder().decode(Buffer.concat(head));
      if (!utf8.ok) {
        return {
          ok: false,
          message: `trivy exited 0 but stdout is not valid UTF-8 text; it began: ${excerpt(began)}`,
        };
      }
      tokens.end();
      if (tokens.error !== undefined) {
        return {
          ok: false,
          message: `trivy exited 0 but stdout is not JSON (${tokens.error}); it began: ${excerpt(began)}`,
        };
      }
      const outcome = reader.outcome();
      if (!outcome.ok) {
        const detail = outcome.message.replace(/\n/g, ' ').slice(0, 500);
        return { ok: false, message: `trivy's JSON is not a report: ${detail}` };
      }
      return outcome;
    },
  };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Strict UTF-8 (no overlongs, no surrogates) over chunks: a sequence cut by a chunk's end waits. */
function createUtf8Check() {
  let tail = Buffer.alloc(0);
  let ok = true;
  return {
    get ok() {
      return ok;
    },
    write(chunk: Buffer): void {
      if (!ok) return;
      const bytes = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      const cut = completeLength(bytes);
      ok = isUtf8(bytes.subarray(0, cut));
      tail = Buffer.from(bytes.subarray(cut));
    },
    end(): void {
      if (tail.length) ok = false;
    },
  };
}

/** How many bytes of `bytes` end on a character boundary (an unfinished sequence stays out). */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Read trivy's stdout held in memory (tests, small outputs). */
export function parseReport(stdout: Uint8Array): ParsedReport {
  const parser = createReportParser();
  parser.write(stdout);
  return parser.end();
}

/**
 * Read trivy's stdout from the file it was streamed to, a chunk at a time; `stopped()` is asked
 * between chunks (a run being interrupted), and undefined is returned when it says so.
 */
export async function parseReportFile(
  file: string,
  stopped: () => boolean = () => false,
): Promise<ParsedReport | undefined> {
  const parser = createReportParser();
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
    if (stopped()) return undefined;
    parser.write(chunk as Buffer);
  }
  return parser.end();
}

/** The start of some output, on one line and quoted (every unsafe character escaped), for a message. */
export function excerpt(text: string): string {
  return escapeUnsafe(JSON.stringify(text.trim().slice(0, 120).replace(/\s+/g, ' ')));
}
