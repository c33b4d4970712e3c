// Lines in a JSON text, for messages, without parsing it again as YAML (which cost minutes on a
// large object): the line of a JSON.parse error, and of the value at a field path. One linear pass.
import { createJsonTokenizer } from '../scan/json-tokenizer.ts';
import type { Locator } from './locate.ts';

/** The line of character `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(offset, text.length); i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line of a JSON.parse error: V8 names the line for most; for the rest, the strict tokenizer
 * the scan reads Trivy with says at which byte the text stops being JSON.
 */
export function jsonErrorLine(text: string, message: string): number {
  const line = Number(/\(line (\d+) column/.exec(message)?.[1]);
  if (line) return line;
  const tokenizer = createJsonTokenizer(SYNTAX_ONLY);
  const bytes = Buffer.from(text, 'utf8');
  tokenizer.write(bytes);
  tokenizer.end();
  const at = Number(/at position (\d+)/.exec(tokenizer.error ?? '')?.[1] ?? bytes.length);
  let lines = 1;
  for (let i = 0; i < Math.min(at, bytes.length); i++) if (bytes[i] === 10) lines++;
  return lines;
}

/** A handler that wants no value: the tokenizer then only checks the syntax. */
const SYNTAX_ONLY = {
  startValue: () => false,
  openObject() {},
  openArray() {},
  close() {},
  key() {},
  scalar() {},
};

const WHITESPACE = new Set([32, 9, 10, 13]);

/**
 * A locator over a valid JSON text: the line where the value at `path` starts, or that of its
 * deepest existing parent. The text is walked once per call, and only as far as the path.
 */
export function createJsonLocator(text: string): Locator {
  return (path) => {
    let i = 0;
    let found = 0;
    const skipSpace = () => {
      while (WHITESPACE.has(text.charCodeAt(i))) i++;
    };
    const skipString = () => {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    };
    // Past one whole value, strings and nesting included.
    const skipValue = () => {
      skipSpace();
      let depth = 0;
      do {
        const c = text[i];
        if (c === '"') {
          skipString();
          continue;
        }
        if (c === '[' || c === '{') depth++;
        else if (c === ']' || c === '}') depth--;
        i++;
      } while (i < text.length && (depth > 0 || !/[,\]}]/.test(text[i] ?? ',')));
    };
    for (const step of path) {
      skipSpace();
      found = i;
      const open = text[i];
      if (open !== '{' && open !== '[') return lineAt(text, found);
      i++;
      let hit = false;
      for (let index = 0; ; index++) {
        skipSpace();
        if (text[i] === '}' || text[i] === ']' || i >= text.length) break;
        if (open === '{') {
          const keyStart = i;
          skipString();
          const key = JSON.parse(text.slice(keyStart, i)) as string;
          skipSpace();
          i++; // ':'
          hit = key === String(step);
        } else hit = index === step;
        if (hit) break;
        skipValue();
        skipSpace();
        if (text[i] === ',') i++;
      }
      if (!hit) return lineAt(text, found);
    }
    skipSpace();
    return lineAt(text, i);
  };
}
