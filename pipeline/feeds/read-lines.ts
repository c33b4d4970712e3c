import { StringDecoder } from 'node:string_decoder';
import { FeedError } from './feed-error.ts';

/** One line of a text stream, without its line break, numbered from 1. */
export interface Line {
  number: number;
  text: string;
}

/**
 * Split a byte stream into lines as it arrives. A line longer than `maxLine` characters fails
 * with invalid, so a body without line breaks cannot grow memory.
 */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  maxLine: number,
  what: string,
): AsyncGenerator<Line> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let number = 0;
  const tooLong = () =>
    new FeedError('invalid', `${what}: line ${number + 1} is longer than ${maxLine} characters`);
  for await (const chunk of chunks) {
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      if (end - start > maxLine) throw tooLong();
      number += 1;
      yield { number, text: trimCr(text.slice(start, end)) };
      start = end + 1;
    }
    carry = text.slice(start);
    if (carry.length > maxLine) throw tooLong();
  }
  carry += decoder.end();
  if (carry.length > 0) yield { number: number + 1, text: trimCr(carry) };
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
