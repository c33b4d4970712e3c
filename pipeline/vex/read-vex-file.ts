import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { formatBytes } from '../config/bytes.ts';
import type { VexError } from './rule.ts';

/**
 * Read a rules file as UTF-8 text, at most `maxBytes` of it: a larger file is refused after reading
 * one byte past the cap. Only a regular file is read: it is opened without blocking (a FIFO would
 * wait for a writer forever) and checked after opening, so a symlink to /dev/zero is refused too.
 */
export async function readVexFile(
  file: string,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false; error: VexError }> {
  const fail = (code: VexError['code'], message: string) =>
    ({ ok: false, error: { file, code, message: `${file}: ${message}` } }) as const;
  let buffer: Buffer;
  let length = 0;
  try {
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile())
        return fail(
          'not_a_file',
          `not a regular file (${stat.isFIFO() ? 'a FIFO' : stat.isDirectory() ? 'a folder' : 'a device or socket'}): not read`,
        );
      buffer = Buffer.alloc(Math.min(maxBytes + 1, 1 << 20));
      for (;;) {
        if (length === buffer.length) {
          if (length > maxBytes) break;
          buffer = Buffer.concat([
            buffer,
            Buffer.alloc(Math.min(buffer.length, maxBytes + 1 - length)),
          ]);
        }
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    return fail('unreadable', `cannot read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  if (length > maxBytes) return fail('too_large', `larger than ${formatBytes(maxBytes)}`);
  try {
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, length)),
    };
  } catch {
    return fail('syntax_error', 'not UTF-8 text');
  }
}
