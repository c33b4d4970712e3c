import { describeError } from '../errors.ts';
import { oneLine } from '../safe-text.ts';
import type { HostErrorCode } from '../vocabulary.ts';
import { explainTlsError } from './tls-failure.ts';

/** Why one request to a host failed: a stable code and one line a user can act on. */
export interface HostFailure {
  code: HostErrorCode;
  message: string;
  /** The HTTP status, for `http_error`. */
  status?: number;
  /** The daemon's own words (its JSON `message`), for `http_error`. */
  detail?: string;
}

/** A request's result: the value, or the failure as data. */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: HostFailure };

/** Carries a HostFailure through the streaming code; turned back into data at the client's edge. */
export class HostFailureError extends Error {
  readonly failure: HostFailure;
  constructor(failure: HostFailure) {
    super(failure.message);
    this.name = 'HostFailureError';
    this.failure = failure;
  }
}

/** Throw a coded failure from inside a request. */
export function fail(code: HostErrorCode, message: string): never {
  throw new HostFailureError({ code, message });
}

/**
 * Text that came from the host, safe to print and store: one line without the controls (escape
 * sequences could rewrite the terminal) and invisible characters of safe-text.ts, at most `max`.
 */
export function cleanRemoteText(text: string, max = 300): string {
  const line = oneLine(text);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** Turn socket, TLS, HTTP-parser and our own failures into one coded, precise line. */
export function classifyError(error: unknown): HostFailure {
  if (error instanceof HostFailureError) return error.failure;
  const e = error as { code?: string; address?: string; port?: number };
  const where = e.address ? ` (${e.address}${e.port ? `:${e.port}` : ''})` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return { code: 'connection_refused', message: `connection refused${where}` };
    case 'ENOENT':
      return { code: 'socket_missing', message: `socket not found${where}` };
    case 'EACCES':
    case 'EPERM':
      return {
        code: 'permission_denied',
        message: `permission denied${where}: the user running dockpeek-security cannot open the Docker socket`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        code: 'dns_failed',
        message: `host name not found: ${cleanRemoteText(describeError(error))}`,
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'connection_reset', message: `connection reset by the host${where}` };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'host_error', message: `host unreachable${where} (${e.code})` };
  }
  const tls = explainTlsError(e.code);
  if (tls) return tls;
  if (e.code?.startsWith('HPE_')) {
    return {
      code: 'invalid_response',
      message: `the host's answer is not valid HTTP (${e.code}: ${cleanRemoteText(describeError(error), 120)})`,
    };
  }
  return { code: 'host_error', message: cleanRemoteText(describeError(error)) };
}
