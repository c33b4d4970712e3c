import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/dockpeek-security.mjs');

/**
 * `dockpeek-security refresh --help | head -3`: the reader closes the pipe after a few lines. The
 * CLI stops writing and ends without a stack trace, instead of crashing on the unhandled EPIPE.
 */
test('a reader that closes stdout early ends the CLI quietly', async () => {
  const child = spawn(process.execPath, [BIN, 'refresh', '--help'], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', COLUMNS: '20' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Close our end before the help is written, as `head` does once it has its lines: the
  // child's write then meets a pipe with no reader.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
});
