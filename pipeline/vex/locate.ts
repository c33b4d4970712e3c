import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';

/**
 * Finds the line of a field path, for messages; JSON is YAML, so it serves both formats. With
 * `key`, the line of the last key itself (an unknown key has no value worth pointing at).
 */
export type Locator = (path: readonly PropertyKey[], key?: boolean) => number | undefined;

/**
 * A locator over `text`, parsed once on first use (or over an already parsed document): the line
 * of the deepest node of the path that exists.
 */
export function createLocator(
  text: string,
  parsed?: { doc: Document; lineCounter: LineCounter },
): Locator {
  let state = parsed;
  return (path, key = false) => {
    if (!state) {
      const lineCounter = new LineCounter();
      state = { doc: parseDocument(text, { lineCounter }), lineCounter };
    }
    const { doc, lineCounter } = state;
    if (key && path.length) {
      const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
      const last = path[path.length - 1];
      const pair = isMap(parent)
        ? parent.items.find((p) => isScalar(p.key) && p.key.value === last)
        : undefined;
      if (pair && isNode(pair.key) && pair.key.range)
        return lineCounter.linePos(pair.key.range[0]).line;
    }
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
