import { oneLine } from '../safe-text.ts';
import type { Destination } from './destinations.ts';
import type { SendResult } from './http-post.ts';
import { lastAppriseLine, runApprise, withAppriseConfig } from './apprise-process.ts';
import type { Redactor } from './redact.ts';
import type { Failure } from './state-schema.ts';
import { renderBody, renderTitle, type Message, type TextLimits } from './message.ts';

// What each service takes (characters); apprise splits or cuts longer text itself, so these keep
// a message whole and readable. Services not listed get DEFAULT.
const BODY_LIMITS: Record<string, number> = {
  discord: 2000,
  tgram: 4096,
  pover: 1024,
  pushover: 1024,
  gotify: 4096,
  gotifys: 4096,
  matrix: 4000,
  matrixs: 4000,
  slack: 3000,
  msteams: 1000,
  signal: 2000,
  signals: 2000,
  mailto: 32_768,
  mailtos: 32_768,
};
const DEFAULT_BODY = 2000;

/** The text limits of an apprise service. */
export function appriseLimits(scheme: string): TextLimits {
  return { title: 100, body: BODY_LIMITS[scheme] ?? DEFAULT_BODY, unit: 'chars' };
}

/** The executable, deadline and environment of an apprise run, and the redactor of its output. */
export interface AppriseOptions {
  bin: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  redact: Redactor;
}

/**
 * Send through the apprise CLI: the URL in a 0600 config file, the body on stdin, the title and
 * type on argv. Apprise exits non-zero when the delivery failed.
 */
export function sendApprise(
  d: Destination,
  message: Message,
  options: AppriseOptions,
): Promise<SendResult> {
  const limits = appriseLimits(d.scheme);
  const started = performance.now();
  return withAppriseConfig([d.url], async (file) => {
    const run = await runApprise(
      options.bin,
      [
        '-v',
        '--config',
        file,
        `--title=${renderTitle(message, limits)}`,
        `--notification-type=${message.type}`,
        '--input-format=text',
      ],
      { input: renderBody(message, limits), timeoutMs: options.timeoutMs, env: options.env },
    );
    const durationMs = Math.round(performance.now() - started);
    // Every failure is built here, so every one is cleaned to one line, then redacted.
    const fail = (code: Failure['code'], message: string): SendResult => ({
      ok: false,
      durationMs,
      failure: { code, message: options.redact(oneLine(message)) },
    });
    if (run.timedOut)
      return fail(
        'timeout',
        `apprise did not finish within ${options.timeoutMs} ms and was stopped`,
      );
    if (run.spawnError) return fail('apprise_unavailable', run.spawnError);
    if (run.exitCode === 0) return { ok: true, durationMs, detail: 'apprise exit 0' };
    // Apprise may print its URL (credentials and all) in an error: its last line goes, redacted.
    const why = lastAppriseLine(`${run.stdout}\n${run.stderr}`) || 'no reason printed';
    return fail('apprise_failed', `apprise exited ${run.exitCode}: ${why}`);
  });
}
