import { oneLine } from '../safe-text.ts';
import type { Redacted, Redactor } from './redact.ts';
import type { Failure } from './state-schema.ts';

/** A failure as a sender returns it: its message went through the redactor. */
export interface SendFailure extends Failure {
  message: Redacted;
}

/** What one send did. Failures are data, never exceptions. */
export type SendResult =
  | { ok: true; durationMs: number; detail: string }
  | { ok: false; durationMs: number; failure: SendFailure };

/** Characters of an answer a failure shows, and how far past them the answer is redacted. */
const SHOWN = 200;
const REDACT_MARGIN = 4096;

/** The bounds of one HTTP send. */
export interface PostLimits {
  /** The whole exchange: connect, answer, body. */
  timeoutMs: number;
  /** Bytes of the answer read at most; the rest is never downloaded. */
  maxResponseBytes: number;
  /** Removes the destination's credentials from text that comes from outside (answers, errors). */
  redact: Redactor;
}

/**
 * POST a body and read at most `maxResponseBytes` of the answer, all within the deadline.
 * 2xx is success; redirects are not followed (a webhook that moved is a configuration problem).
 */
export async function postBounded(
  url: URL,
  headers: Record<string, string>,
  body: string,
  limits: PostLimits,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Every failure of a send is built here, so every one is cleaned to one line (safe-text.ts),
  // then redacted: a credential split by invisible characters is whole again when masked.
  const fail = (code: Failure['code'], message: string): SendResult => ({
    ok: false,
    durationMs: elapsed(),
    failure: { code, message: limits.redact(oneLine(message)) },
  });
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
    const text = await readBounded(response, limits.maxResponseBytes);
    if (response.status >= 200 && response.status < 300)
      return { ok: true, durationMs: elapsed(), detail: `HTTP ${response.status}` };
    const snippet = answerSnippet(text, limits.redact);
    return fail('http_error', `HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`);
  } catch (error) {
    return classify(error, limits, fail);
  }
}

/** The start of an answer as one line, redacted: what a failure shows of it. */
function answerSnippet(text: string, redact: Redactor): string {
  const line = oneLine(text);
  const window = SHOWN + REDACT_MARGIN;
  // Only the start is redacted, so a huge answer costs little. A credential that starts in the
  // part shown lies whole in the window, unless masking shrank the window by thousands of
  // characters (an answer repeating secrets): then the whole line is redacted.
  let redacted = redact(line.slice(0, window));
  if (line.length > window && redacted.length < SHOWN + REDACT_MARGIN / 2) redacted = redact(line);
  return redacted.slice(0, SHOWN);
}

/** The first `max` bytes of the answer as text; the stream is cancelled past them. */
async function readBounded(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= max) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

function classify(
  error: unknown,
  limits: PostLimits,
  fail: (code: Failure['code'], message: string) => SendResult,
): SendResult {
  const name = (error as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return fail('timeout', `no complete answer within ${limits.timeoutMs} ms`);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const message = cause?.message ?? (error as Error).message ?? String(error);
  if (/^(ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL)/.test(code))
    return fail('tls_error', message);
  if (
    ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'].includes(code) ||
    (error as Error).message === 'terminated'
  )
    return fail('connection_reset', `the connection closed before the answer was complete`);
  return fail('connection_failed', message);
}
