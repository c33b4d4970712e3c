import type { Reporter } from '../reporter.ts';

/** Writes progress and diagnostics to stderr, so stdout stays clean for `export`. */
export type Output = Reporter;

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function createOutput(
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  quiet = false,
): Output {
  const colour = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  const paint = (code: string) => (text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const write = (line: string) => stream.write(`${line}\n`);
  return {
    info: (line) => quiet || write(line),
    warn: (line) => write(`${paint('33')('warning:')} ${line}`),
    error: (line) => write(`${paint('31')('error:')} ${line}`),
    ok: paint('32'),
    bad: paint('31'),
    dim: paint('2'),
  };
}
