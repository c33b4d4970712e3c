// The containers table is 1.5 MB of a 1.6 MB page at 1,000 containers, on the home page and on
// every snapshot page. Left in the page's string, its thousands of pieces are flattened and
// encoded at the end in one go (~20 ms a page, and 3 MB of fresh memory). Instead the page puts a
// marker where the rows go (`placeBlock`); each row is encoded as it is made, into memory reused
// from page to page; and the page's bytes are written with the rows in place of the marker.
import { randomBytes } from 'node:crypto';

const ARENA_CHUNK = 4 << 20;
const MARKER_END = Buffer.from('-->');

/** A block's bytes, in order (it may span chunks of the arena). */
type Block = Uint8Array[];

/**
 * Blocks of markup for the pages one thread renders. A marker names a block by number after a
 * nonce no input can know, so markup made from untrusted values cannot pose as one.
 */
export function createBlockArena(chunkSize = ARENA_CHUNK) {
  const encoder = new TextEncoder();
  const prefix = `<!--dp-block:${randomBytes(8).toString('hex')}:`;
  const prefixBytes = Buffer.from(prefix);
  const chunks: Uint8Array[] = [new Uint8Array(chunkSize)];
  let chunk = 0;
  let used = 0;
  let blocks: Block[] = [];
  let placed = 0;

  const append = (text: string, block: Block) => {
    for (let rest = text; rest.length > 0;) {
      let target = chunks[chunk]!;
      if (used === target.length || (used > 0 && target.length - used < rest.length)) {
        chunk += 1;
        used = 0;
        chunks[chunk] ??= new Uint8Array(Math.max(chunkSize, rest.length * 3));
        target = chunks[chunk]!;
      }
      const { read, written } = encoder.encodeInto(rest, target.subarray(used));
      // Parts encoded one after the other are one run of bytes: one slice, one write.
      const last = block.at(-1);
      const follows = last?.buffer === target.buffer && last.byteOffset + last.byteLength === used;
      if (follows) block[block.length - 1] = target.subarray(last.byteOffset, used + written);
      else block.push(target.subarray(used, used + written));
      used += written;
      rest = rest.slice(read);
    }
  };

  return {
    /** Encode `parts` now and return the marker that stands for them in the page. */
    place(parts: Iterable<string>): string {
      const block: Block = [];
      for (const part of parts) append(part, block);
      blocks.push(block);
      return `${prefix}${blocks.length - 1}-->`;
    },
    /**
     * A rendered page as the chunks to write: its bytes with each block in place of its marker.
     * The chunks share the arena's memory: write them before `release`.
     */
    expand(page: Uint8Array): Uint8Array[] {
      const bytes = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
      const out: Uint8Array[] = [];
      let from = 0;
      for (let at = bytes.indexOf(prefixBytes); at >= 0; at = bytes.indexOf(prefixBytes, from)) {
        const end = bytes.indexOf(MARKER_END, at + prefixBytes.length);
        const id = Number(bytes.toString('latin1', at + prefixBytes.length, end));
        const block = end > 0 && Number.isInteger(id) ? blocks[id] : undefined;
        if (!block) throw new Error('a page has a markup block marker that names no block');
        out.push(bytes.subarray(from, at), ...block);
        placed += 1;
        from = end + MARKER_END.length;
      }
      out.push(bytes.subarray(from));
      return out;
    },
    /** Reuse the memory: no page in flight has blocks any more. */
    release(): void {
      if (placed !== blocks.length)
        throw new Error(`${blocks.length - placed} markup block(s) were not placed in any page`);
      blocks = [];
      placed = 0;
      chunk = 0;
      used = 0;
    },
  };
}
export type BlockArena = ReturnType<typeof createBlockArena>;
