import type { Reporter } from '../reporter.ts';
import { logText } from '../safe-text.ts';

/** Writes progress and diagnostics to stderr, so stdout stays clean for `export`. */
export type Output = Reporter & {
  /** A result line on stdout (`notify --status`, `--test`), never silenced by quiet. */
  print(line: string): void;
};

// Our own colours are the only escape sequences written: paint() makes exactly these.
// eslint-disable-next-line no-control-regex
const OWN_COLOURS = /(\x1b\[(?:0|2|31|32|33)m)/;

/**
 * A line as written: every line of text from outside goes out through here, cleaned by
 * safe-text's logText; with colour on, the colour codes paint() added are kept.
 */
export function outputLine(line: string, colour: boolean): string {
  if (!colour) return logText(line);
  return line
    .split(OWN_COLOURS)
    .map((part, i) => (i % 2 ? part : logText(part)))
    .join('');
}

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function createOutput(
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  quiet = false,
  results: NodeJS.WritableStream = process.stdout,
): Output {
  const colour = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  const paint = (code: string) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const write = (line: string) => stream.write(`${outputLine(line, colour)}\n`);
  return {
    info: (line) => quiet || write(line),
    warn: (line) => write(`${paint('33')('warning:')} ${line}`),
    error: (line) => write(`${paint('31')('error:')} ${line}`),
    print: (line) => results.write(`${outputLine(line, colour)}\n`),
    ok: paint('32'),
    bad: paint('31'),
    dim: paint('2'),
  };
}
