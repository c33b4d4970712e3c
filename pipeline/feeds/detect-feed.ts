import { open } from 'node:fs/promises';
import type { FeedName } from '../vocabulary.ts';

/**
 * Which feed a local file holds, from its first bytes: gzip or `#model_version`/`cve,` → EPSS,
 * a JSON object → KEV; null when it is neither (or unreadable).
 */
export async function detectFeed(file: string): Promise<FeedName | null> {
  let head: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(64), 0, 64, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'epss';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('{')) return 'kev';
  if (text.startsWith('#model_version') || text.startsWith('cve,')) return 'epss';
  return null;
}
