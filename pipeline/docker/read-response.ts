import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { formatBytes } from '../config/bytes.ts';
import { cleanRemoteText, fail, HostFailureError } from './host-failure.ts';
import { createArraySplitter } from './json-array-splitter.ts';

/** A byte cap, and the setting that raises it when there is one (named in the message). */
export interface Cap {
  bytes: number;
  setting?: string;
}

/** Caps for one list answer (GET /containers/json, GET /images/json). */
export interface ListLimits {
  /** The whole body (DOCKPEEK_DOCKER_MAX_RESPONSE). */
  body: Cap;
  /** One entry: a larger one is skipped with a warning, never buffered. */
  maxElementBytes: number;
  /** Entries in all: each kept one costs memory, whatever its size. */
  maxEntries: number;
}

/** The entries of a list answer that validated, and why the others were skipped. */
export interface ListRead<T> {
  items: T[];
  warnings: string[];
}

const MAX_WARNINGS = 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Refuse, before reading a byte, an answer we would not read safely. */
export function checkHeaders(
  res: IncomingMessage,
  what: string,
  expect: { json: boolean; cap: Cap },
): void {
  const encoding = res.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    fail(
      'invalid_response',
      `the answer to ${what} is ${cleanRemoteText(encoding, 40)}-encoded, though we never ask for compression; refused unread`,
    );
  }
  const type = res.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (expect.json && type !== 'application/json') {
    fail(
      'invalid_response',
      `the answer to ${what} is ${type ? cleanRemoteText(type, 60) : 'untyped'}, not application/json: is this a Docker API?`,
    );
  }
  const length = Number(res.headers['content-length'] ?? NaN);
  if (length > expect.cap.bytes) {
    fail(
      'response_too_large',
      `the answer to ${what} announces ${formatBytes(length)}, more than the ${formatBytes(expect.cap.bytes)} accepted${named(expect.cap)}`,
    );
  }
}

/** The body's chunks, counted against the cap; a body cut short is a failure, not an end. */
async function* readChunks(res: IncomingMessage, what: string, cap: Cap) {
  let total = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > cap.bytes) {
        fail(
          'response_too_large',
          `the answer to ${what} passed ${formatBytes(cap.bytes)}${named(cap)}; reading stopped there`,
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof HostFailureError) throw error;
  }
  if (!res.complete) {
    const announced = res.headers['content-length'];
    fail(
      'connection_reset',
      `the connection closed after ${total}${announced ? ` of ${announced}` : ''} bytes of the answer to ${what}`,
    );
  }
}

/** A small body, whole (an error message, an inspect answer, a registry digest). */
export async function readSmallBody(res: IncomingMessage, what: string, cap: Cap): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of readChunks(res, what, cap)) parts.push(chunk);
  return Buffer.concat(parts);
}

function named(cap: Cap): string {
  return cap.setting ? ` (${cap.setting})` : '';
}

/** Decode strict UTF-8 and parse; anything else is an invalid answer. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (error) {
    const reason = error instanceof TypeError ? 'not valid UTF-8' : 'not valid JSON';
    return fail('invalid_response', `${what} is ${reason}`);
  }
}

/**
 * Read a JSON array answer entry by entry while it streams: each entry is parsed and validated
 * alone, so memory holds the kept entries and one entry in flight, never the body.
 */
export async function readJsonList<T>(
  res: IncomingMessage,
  what: string,
  kind: string,
  schema: z.ZodType<T>,
  limits: ListLimits,
): Promise<ListRead<T>> {
  const items: T[] = [];
  const warnings: string[] = [];
  let unsaid = 0;
  const warn = (text: string) => (warnings.length < MAX_WARNINGS ? warnings.push(text) : unsaid++);
  const splitter = createArraySplitter(limits.maxElementBytes, {
    onElement(bytes, index) {
      if (index >= limits.maxEntries) {
        fail(
          'response_too_large',
          `the answer to ${what} has more than ${limits.maxEntries} ${kind} entries; reading stopped there`,
        );
      }
      const parsed = schema.safeParse(parseJsonBytes(bytes, `${kind} #${index} of ${what}`));
      if (parsed.success) items.push(parsed.data);
      else
        warn(
          `${kind} #${index} in the API response is malformed and was skipped: ${cleanRemoteText(z.prettifyError(parsed.error))}`,
        );
    },
    onOversized(index, bytes) {
      warn(
        `${kind} #${index} in the API response is larger than ${formatBytes(limits.maxElementBytes)} (${formatBytes(bytes)}) and was skipped`,
      );
    },
  });
  for await (const chunk of readChunks(res, what, limits.body)) {
    const problem = splitter.push(chunk);
    if (problem) fail('invalid_response', `${problem} (${what})`);
  }
  const problem = splitter.end();
  if (problem) fail('invalid_response', `${problem} (${what})`);
  if (unsaid) warnings.push(`… and ${unsaid} more malformed ${kind} entries were skipped`);
  return { items, warnings };
}
