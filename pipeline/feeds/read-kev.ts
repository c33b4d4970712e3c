import { readFile, stat } from 'node:fs/promises';
import { formatBytes } from '../config/bytes.ts';
import { FeedError } from './feed-error.ts';
import { KevCatalogSchema, type KevCatalog } from './kev-schema.ts';
import { describeIssues } from '../zod-issues.ts';

/**
 * Read and validate a KEV catalogue file of at most `maxBytes` (the download capped it already;
 * the check keeps this safe for any file). Throws FeedError naming `what` and the field.
 */
export async function readKevFile(
  file: string,
  maxBytes: number,
  what: string,
): Promise<KevCatalog> {
  const size = (await stat(file)).size;
  if (size > maxBytes)
    throw new FeedError(
      'too_large',
      `${what}: ${formatBytes(size)}, more than ${formatBytes(maxBytes)}`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch {
    throw new FeedError('invalid', `${what}: not UTF-8 text`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8's message names the position, line and column.
    throw new FeedError('invalid', `${what}: not JSON: ${(error as Error).message}`);
  }
  const parsed = KevCatalogSchema.safeParse(json);
  if (!parsed.success) throw new FeedError('invalid', `${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
