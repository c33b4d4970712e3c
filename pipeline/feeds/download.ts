import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { formatBytes } from '../config/bytes.ts';
import { readVersion } from '../version.ts';
import { FeedError } from './feed-error.ts';
import { describeFeedSource, type FeedSource } from './sources.ts';

/** Caps of one download: bytes as sent, and a deadline for the whole body. */
export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
}

/** What was downloaded: its size and sha256 (hex). */
export interface Downloaded {
  bytes: number;
  sha256: string;
}

/**
 * Copy a feed from its source into `file` (created, never overwritten), stopping with too_large
 * past `maxBytes` and with timeout past `timeoutMs`; memory stays one chunk whatever is sent.
 * Throws FeedError (or a system error that toFeedFailure classifies).
 */
export async function downloadToFile(
  source: FeedSource,
  file: string,
  limits: DownloadLimits,
): Promise<Downloaded> {
  const what = describeFeedSource(source);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const input =
    source.kind === 'http'
      ? await openHttp(source.url, what, limits.maxBytes, signal)
      : createReadStream(source.path, { signal });
  const hash = createHash('sha256');
  let total = 0;
  const count = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > limits.maxBytes)
        throw new FeedError('too_large', `${what}: more than ${formatBytes(limits.maxBytes)}`);
      hash.update(chunk);
      yield chunk;
    }
  };
  const output = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    await pipeline(input, count, output, { signal });
  } catch (error) {
    // A failed write of our own file is a storage problem, not the feed's.
    const err = error as NodeJS.ErrnoException & { path?: string };
    if (err.path === file)
      throw new FeedError('unwritable', `cannot write ${file}: ${err.message}`);
    throw error;
  }
  // The file is renamed into place later; sync it first so a crash cannot leave it empty.
  const handle = await open(file, 'r+');
  await handle.sync().finally(() => handle.close());
  return { bytes: total, sha256: hash.digest('hex') };
}

async function openHttp(
  url: URL,
  what: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Readable> {
  const response = await fetch(url, {
    signal,
    redirect: 'follow',
    headers: { 'user-agent': `dockpeek-security/${readVersion()}` },
  });
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new FeedError(
      'http_error',
      `${what}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new FeedError(
      'too_large',
      `${what}: announces ${formatBytes(declared)}, more than ${formatBytes(maxBytes)}`,
    );
  }
  if (!response.body) throw new FeedError('invalid', `${what}: the answer has no body`);
  return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
}
