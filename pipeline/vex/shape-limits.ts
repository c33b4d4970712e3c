// Limits checked on the text of a rules file before any parser sees it: a parser's cost grows with
// the number of nodes and the nesting it builds, not only with bytes (80,000 keys in one mapping,
// a million `[` in 2 MB). One linear pass over the text; what it counts errs on the side of more.

/** Nesting a rules file may have: real ones use 4 to 6 levels. */
export const MAX_NESTING = 64;
/** Entries (keys, items) a .trivyignore.yaml may have: about 7,500 rules of three fields. */
export const MAX_NODES = 30_000;
/** A line indented further than this is refused (a block nested thousands of levels deep). */
export const MAX_INDENT = 1000;

/** Why the YAML text is too complex to parse, with its line, or undefined. */
export function checkYamlShape(text: string): { line: number; message: string } | undefined {
  let depth = 0;
  let nodes = 0;
  let quote: '"' | "'" | undefined;
  let blockIndent: number | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const indent = line.length - line.trimStart().length;
    // Inside a block scalar (`|` or `>`): text, until a line indented no deeper than its key.
    if (blockIndent !== undefined && !quote) {
      if (line.trim() === '' || indent > blockIndent) continue;
      blockIndent = undefined;
    }
    if (indent > MAX_INDENT && !quote)
      return { line: n + 1, message: `indented more than ${MAX_INDENT} columns` };
    let start = true; // at the start of a token, where a quote or an indicator may begin one
    for (let i = quote ? 0 : indent; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
        continue;
      }
      const next = line[i + 1];
      const ends = next === undefined || next === ' ' || next === '\t';
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      if (start && (c === '"' || c === "'")) quote = c;
      else if (start && (c === '|' || c === '>') && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(i))) {
        blockIndent = indent;
        break;
      } else if (c === '[' || c === '{') {
        if (++depth > MAX_NESTING)
          return { line: n + 1, message: `nested deeper than ${MAX_NESTING} levels` };
        nodes++;
      } else if ((c === ']' || c === '}') && depth > 0) depth--;
      else if (c === ',' && depth > 0) nodes++;
      else if ((c === ':' || c === '?') && (ends || depth > 0)) nodes++;
      else if (c === '-' && start && ends) nodes++;
      else {
        start = false;
        continue;
      }
      if (nodes > MAX_NODES)
        return { line: n + 1, message: `more than ${MAX_NODES.toLocaleString('en')} entries` };
      start = true;
    }
  }
  return undefined;
}

/** Why the JSON text is nested too deeply, with its line, or undefined (strings are skipped). */
export function checkJsonNesting(text: string): { line: number; message: string } | undefined {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      // A string: skip to its closing quote, past escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++)
        if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING)
        return { line, message: `nested deeper than ${MAX_NESTING} levels` };
    } else if (c === 93 || c === 125) depth--;
  }
  return undefined;
}
