import { maskCredentialForms } from '../notify/credential-forms.ts';
import { oneLine, shorten } from '../safe-text.ts';

/** How many causes deep --verbose goes; a longer chain ends with a line that says so. */
export const MAX_CAUSE_DEPTH = 5;
const MAX_LINE = 500;

/**
 * The errors under `error` (its `cause`, the cause's cause, …) for --verbose: one line each,
 * indented a step deeper per level, at most `maxDepth`. A cause is text from another program (a
 * file system, a parser, a server), so each line is cleaned as every such line: one line of
 * plain text, credentials masked.
 */
export function describeCauses(error: unknown, maxDepth = MAX_CAUSE_DEPTH): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>([error]);
  let cause = causeOf(error);
  for (let depth = 1; cause !== undefined && !seen.has(cause); depth += 1) {
    if (depth > maxDepth) {
      lines.push(`${indent(depth)}… and more causes, not shown`);
      break;
    }
    seen.add(cause);
    lines.push(`${indent(depth)}caused by: ${cleanLine(describeCause(cause))}`);
    cause = causeOf(cause);
  }
  return lines;
}

function causeOf(error: unknown): unknown {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === null ? undefined : cause;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  // DockpeekError and Node's errors name their code; the message of Node's already holds it.
  const tag = typeof code === 'string' && !cause.message.includes(code) ? ` [${code}]` : '';
  return `${cause.name}: ${cause.message}${tag}`;
}

/** Controls and invisible characters out, credentials masked, then cut to a readable length. */
function cleanLine(text: string): string {
  // Cut last: a credential cut in half would no longer be recognised.
  return shorten(maskCredentialForms(oneLine(text), '***'), MAX_LINE);
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}
