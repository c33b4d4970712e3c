// Enough of an HTML tokenizer to check what the built site contains: tags with their attributes,
// text nodes and script bodies. Strict: it throws on anything it cannot read rather than guess.

export interface Parsed {
  tags: Array<{ name: string; attrs: Array<[string, string]> }>;
  /** Text nodes, entities decoded. */
  texts: string[];
  /** Bodies of <script> elements. */
  scripts: string[];
}

const ATTR = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

/** A strict little HTML tokenizer, enough for what Astro writes: it throws rather than guess. */
export function parseHtml(html: string): Parsed {
  const parsed: Parsed = { tags: [], texts: [], scripts: [] };
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const text = html.slice(i, lt < 0 ? html.length : lt);
    if (text) parsed.texts.push(decodeEntities(text));
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      i = html.indexOf('-->', lt) + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '/') {
      i = html.indexOf('>', lt) + 1;
      continue;
    }
    const name = /^[a-zA-Z][^\s/>]*/.exec(html.slice(lt + 1, lt + 64))?.[0];
    if (!name) throw new Error(`a bare "<" at ${lt}: ${html.slice(lt, lt + 60)}`);
    const tag = { name: name.toLowerCase(), attrs: [] as Array<[string, string]> };
    let j = lt + 1 + name.length;
    for (;;) {
      const end = /^\s*(\/?>)/.exec(html.slice(j, j + 64));
      if (end) {
        j += end[0].length;
        break;
      }
      ATTR.lastIndex = j;
      const m = ATTR.exec(html);
      if (!m || m[0].length === 0)
        throw new Error(`cannot read a tag at ${j}: ${html.slice(j, j + 60)}`);
      tag.attrs.push([m[1]!.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? '')]);
      j += m[0].length;
    }
    parsed.tags.push(tag);
    if (tag.name === 'script' || tag.name === 'style') {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, j);
      if (tag.name === 'script') parsed.scripts.push(html.slice(j, close));
      j = close;
    }
    i = j;
  }
  return parsed;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, ref: string) => {
    if (ref[0] === '#')
      return String.fromCodePoint(
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)),
      );
    return (
      (
        { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' } as Record<
          string,
          string
        >
      )[ref] ?? all
    );
  });
}
