/** Exit codes of the command contract: 0 ok, 1 usage or configuration error, 2 degraded. */
export const EXIT = { ok: 0, usage: 1, degraded: 2 } as const;

/** Every failure the CLI can explain, by stable string code. */
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

/** The one error type of the pipeline: caught only by the CLI entry point. */
export class DockpeekError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next; printed under the message. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DockpeekError';
    this.code = code;
    this.hint = hint;
  }
}

/** Narrow an unknown thrown value to a readable message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
