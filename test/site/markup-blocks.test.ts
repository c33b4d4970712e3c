import { describe, expect, it } from 'vitest';
import { createBlockArena } from '../../pipeline/site/render/markup-blocks.ts';

const page = (html: string) => new TextEncoder().encode(html);
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('markup blocks', () => {
  it('puts each block in place of its marker, as the markup itself would be', () => {
    const arena = createBlockArena();
    const rows = ['<tr><td>a – ✓</td></tr>', '<tr><td>b &amp; c</td></tr>'];
    const first = arena.place(rows);
    const second = arena.place(['<tr><td>d</td></tr>']);
    const html = `<table><tbody>${first}</tbody><tbody>${second}</tbody></table>`;
    expect(text(arena.expand(page(html)))).toBe(
      `<table><tbody>${rows.join('')}</tbody><tbody><tr><td>d</td></tr></tbody></table>`,
    );
    arena.release();
  });

  it('spans chunks of its memory, and reuses them once released', () => {
    const arena = createBlockArena(64);
    const rows = Array.from({ length: 50 }, (_, i) => `<tr data-i="${i}"><td>row ${i} ✓</td></tr>`);
    const marker = arena.place(rows);
    const chunks = arena.expand(page(`<p>${marker}</p>`));
    expect(chunks.length).toBeGreaterThan(3);
    expect(text(chunks)).toBe(`<p>${rows.join('')}</p>`);
    arena.release();
    const again = arena.place(['<i>x</i>']);
    expect(text(arena.expand(page(again)))).toBe('<i>x</i>');
  });

  it('takes no marker from untrusted markup, and refuses one that names no block', () => {
    const arena = createBlockArena();
    const marker = arena.place(['<b>rows</b>']);
    // A value that imitates a marker without the nonce stays as it is.
    const forged = '<!--dp-block:0000000000000000:0-->';
    expect(text(arena.expand(page(`${forged}${marker}`)))).toBe(`${forged}<b>rows</b>`);
    const unknown = marker.replace(/:\d+-->$/, ':7-->');
    expect(() => arena.expand(page(unknown))).toThrow(/names no block/);
  });

  it('says so when a block was never placed in a page', () => {
    const arena = createBlockArena();
    arena.place(['<tr></tr>']);
    expect(() => arena.release()).toThrow(/1 markup block\(s\) were not placed/);
  });
});
