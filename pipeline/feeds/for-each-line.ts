import { StringDecoder } from 'node:string_decoder';
import { FeedError } from './feed-error.ts';

/**
 * Split a byte stream into lines as it arrives and hand each to `onLine` (without its line break,
 * numbered from 1); an exception from `onLine` ends the read. A line longer than `maxLine`
 * characters fails with invalid, so a body without line breaks cannot grow memory.
 */
export async function forEachLine(
  chunks: AsyncIterable<Buffer>,
  maxLine: number,
  what: string,
  onLine: (text: string, number: number) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let number = 0;
  const tooLong = () =>
    new FeedError('invalid', `${what}: line ${number + 1} is longer than ${maxLine} characters`);
  // A callback per line, not an async iterator: 300k awaits cost more than the parsing.
  for await (const chunk of chunks) {
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (end - start > maxLine) throw tooLong();
      number += 1;
      onLine(trimCr(text.slice(start, end)), number);
      start = end + 1;
    }
    carry = text.slice(start);
    if (carry.length > maxLine) throw tooLong();
  }
  carry += decoder.end();
  if (carry.length > 0) onLine(trimCr(carry), number + 1);
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
