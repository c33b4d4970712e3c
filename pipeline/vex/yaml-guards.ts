// Checks on a parsed YAML document that the `yaml` library makes too slowly or not at all: its own
// duplicate-key check compares every key with every other (80,000 keys took minutes), so the
// document is parsed without it and checked here with a Set per mapping; and aliases may repeat a
// large node many times over, so the size the document would have once expanded is counted first.
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { MAX_NODES } from './shape-limits.ts';

/** The first key that repeats in its mapping, with the offset of the repeat, or undefined. */
export function findDuplicateKey(doc: Document): { key: string; offset: number } | undefined {
  const pending: unknown[] = [doc.contents];
  while (pending.length) {
    const node = pending.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key))
          return { key, offset: isNode(pair.key) && pair.key.range ? pair.key.range[0] : 0 };
        seen.add(key);
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) pending.push(...node.items);
  }
  return undefined;
}

/**
 * Whether the document, aliases expanded, holds more than MAX_NODES entries (mapping pairs and
 * sequence items, as the text was counted): a "billion laughs" built from large nodes rather than
 * many aliases. Each node is sized once.
 */
export function expandsTooFar(doc: Document): boolean {
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (!isAlias(node) && !isPair(node) && !isMap(node) && !isSeq(node)) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // Counted as over the limit while being sized: an alias to its own ancestor ends here.
    sizes.set(node, MAX_NODES + 1);
    let total = 0;
    if (isAlias(node)) total = size(node.resolve(doc));
    else if (isPair(node)) total = 1 + size(node.key) + size(node.value);
    else
      for (const item of (node as { items: Node[] }).items) {
        total += isPair(item) ? size(item) : 1 + size(item);
        if (total > MAX_NODES) break;
      }
    sizes.set(node, total);
    return total;
  };
  return size(doc.contents) > MAX_NODES;
}
