/** Exit codes of the command contract: 0 ok, 1 usage or configuration error, 2 degraded. */
export const EXIT = { ok: 0, usage: 1, degraded: 2 } as const;

/** Every failure the CLI can explain, by stable string code (docs/errors.md has one section each). */
export type ErrorCode =
  | 'config_invalid'
  | 'usage'
  | 'db_corrupt'
  | 'db_unwritable'
  | 'no_snapshot'
  | 'build_failed'
  | 'locked'
  | 'site_dir_unsafe'
  | 'data_dir_unsafe'
  | 'scanner_unavailable';

/** A section of the docs that explains an error: a page under docs/ and a heading's anchor. */
export type DocAnchor = `docs/${string}.md#${string}`;

/**
 * One error of the catalogue (pipeline/errors/catalogue.ts), in the manner of Astro's
 * errors-data.ts: the throw site passes arguments, the entry holds the words.
 */
export interface ErrorEntry<A extends object = object> {
  /** The stable code printed after the message, which scripts and the docs use. */
  code: ErrorCode;
  /** What went wrong, in a few words. */
  title: string;
  /** The message, from the throw site's arguments. */
  message: (args: A) => string;
  /** What the user can do next; printed under the message. */
  hint: string | ((args: A) => string);
  /** The docs section that explains it. */
  docs: DocAnchor;
}

/** The one error type of the pipeline: caught only by the CLI entry point. */
export class DockpeekError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next; printed under the message. */
  readonly hint: string | undefined;
  /** The docs section that explains it; docs/errors.md#<code> unless a closer one is named. */
  readonly docs: DocAnchor;

  constructor(
    code: ErrorCode,
    message: string,
    hint?: string,
    options?: ErrorOptions & { docs?: DocAnchor | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DockpeekError';
    this.code = code;
    this.hint = hint;
    this.docs = options?.docs ?? `docs/errors.md#${code}`;
  }
}

/**
 * The error of a catalogue entry, worded from `args`. A throw site in a catch block passes the
 * error it caught as `cause`, so `--verbose` can show what went wrong underneath.
 */
export function createError<A extends object>(
  entry: ErrorEntry<A>,
  args: A,
  options: ErrorOptions = {},
): DockpeekError {
  const hint = typeof entry.hint === 'function' ? entry.hint(args) : entry.hint;
  return new DockpeekError(entry.code, entry.message(args), hint, { ...options, docs: entry.docs });
}

/** Narrow an unknown thrown value to a readable message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
