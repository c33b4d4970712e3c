import { plainText } from '../safe-text.ts';
import type { FeedErrorCode } from '../vocabulary.ts';

/** Why one feed failed, by stable code, in words that name the source and the line or field. */
export interface FeedFailure {
  code: FeedErrorCode;
  message: string;
}

/**
 * Thrown inside the streams of one feed download and turned into a FeedFailure at the module's
 * boundary (updateFeed); it never leaves pipeline/feeds.
 */
export class FeedError extends Error {
  readonly code: FeedErrorCode;
  constructor(code: FeedErrorCode, message: string) {
    super(message);
    this.name = 'FeedError';
    this.code = code;
  }
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOENT',
  'EACCES',
  'EISDIR',
  'EPERM',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Any error of a feed download as a FeedFailure; `what` names the source for the message, which
 * quotes the feed and the network, so it is cleaned (safe-text.ts) before feeds.json keeps it.
 */
export function toFeedFailure(error: unknown, what: string): FeedFailure {
  const failure = classifyFeedError(error, what);
  return { ...failure, message: plainText(failure.message) };
}

function classifyFeedError(error: unknown, what: string): FeedFailure {
  if (error instanceof FeedError) return { code: error.code, message: error.message };
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError')
    return { code: 'timeout', message: `${what}: no complete answer within the deadline` };
  if (err?.code?.startsWith('Z_'))
    return { code: 'bad_gzip', message: `${what}: not a complete gzip stream (${err.message})` };
  // fetch wraps the socket error in `cause`; fs errors carry their code themselves.
  const code = err?.cause?.code ?? err?.code;
  if (code && UNREACHABLE.has(code))
    return {
      code: 'unreachable',
      message: `${what}: ${code} (${err.cause?.message ?? err.message})`,
    };
  return { code: 'unreachable', message: `${what}: ${err?.message ?? String(error)}` };
}
