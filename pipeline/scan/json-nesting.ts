/** Deeper nesting is refused (JSON.parse would accept it, but nothing Trivy prints is that deep). */
export const MAX_DEPTH = 1_000_000;

/** The open containers of a JSON text, one byte each (a bit of memory per level, no recursion). */
export function createNesting() {
  let kinds = new Uint8Array(64);
  let depth = 0;
  return {
    get depth(): number {
      return depth;
    },
    /** The innermost open container's kind, 0 at the root. */
    top: (): number => (depth ? kinds[depth - 1]! : 0),
    /** Open one; false past MAX_DEPTH. */
    push(kind: number): boolean {
      if (depth >= MAX_DEPTH) return false;
      if (depth === kinds.length) {
        const grown = new Uint8Array(kinds.length * 2);
        grown.set(kinds);
        kinds = grown;
      }
      kinds[depth++] = kind;
      return true;
    },
    pop(): void {
      depth -= 1;
    },
  };
}
