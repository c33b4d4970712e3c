/**
 * Where stages and the store report progress and problems. The CLI gives a terminal reporter
 * (pipeline/cli/output.ts); tests and other callers can give their own. Lower layers depend on
 * this interface only, never on the CLI.
 */
export interface Reporter {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Green/red/dim marks, or plain text when colour is off. */
  ok(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
}

/** A reporter that says nothing (library use, tests). */
export const SILENT: Reporter = {
  info: () => {},
  warn: () => {},
  error: () => {},
  ok: (t) => t,
  bad: (t) => t,
  dim: (t) => t,
};
