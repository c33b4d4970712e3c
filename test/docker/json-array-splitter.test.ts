import { describe, expect, it } from 'vitest';
import { createArraySplitter } from '../../pipeline/docker/json-array-splitter.ts';

/** Run a body through a splitter in the given chunks; what it emitted and what it said. */
function split(chunks: Buffer[], maxElementBytes = 1024) {
  const elements: Array<{ index: number; text: string }> = [];
  const oversized: Array<{ index: number; bytes: number }> = [];
  const splitter = createArraySplitter(maxElementBytes, {
    onElement: (bytes, index) => elements.push({ index, text: bytes.toString('utf8') }),
    onOversized: (index, bytes) => oversized.push({ index, bytes }),
  });
  let problem: string | undefined;
  for (const chunk of chunks) problem ??= splitter.push(chunk);
  problem ??= splitter.end();
  return { elements, oversized, problem };
}

/** Every way to cut a body in two, plus one byte per chunk. */
function cuts(body: string): Buffer[][] {
  const bytes = Buffer.from(body, 'utf8');
  const ways: Buffer[][] = [];
  for (let i = 0; i <= bytes.length; i++) ways.push([bytes.subarray(0, i), bytes.subarray(i)]);
  ways.push([...bytes].map((b) => Buffer.from([b])));
  return ways;
}

const VALID: Array<[string, string]> = [
  ['empty', '[]'],
  ['empty with whitespace', ' \n[ \t]\r\n '],
  ['numbers and literals', '[1, -2.5e3 ,true,false,null ,0]'],
  ['strings holding brackets and commas', '["a]b", "[{,}]", ""]'],
  ['escaped quotes and backslashes', String.raw`["say \"]\"", "\\", "\\\"", "a\\\\"]`],
  ['nested arrays and objects', '[{"a":[1,{"b":"}"}]},[[]],{},[[[["x"]]]]]'],
  ['unicode escapes and multi-byte UTF-8', '[{"n":"\\u005d\\u0022é"},"😀 ]", "日本"]'],
  [
    'a real list entry',
    JSON.stringify([
      {
        Id: 'a'.repeat(64),
        Names: ['/web'],
        Labels: { 'traefik.http.routers.x.rule': 'Host(`a]b`) && PathPrefix(`/[x]`)' },
        Ports: [{ PrivatePort: 80, Type: 'tcp' }],
      },
    ]),
  ],
];

describe('streaming JSON array splitter', () => {
  it.each(VALID)('%s: the same entries at every chunk boundary', (_name, body) => {
    const expected = (JSON.parse(body) as unknown[]).map((v, index) => ({ index, value: v }));
    for (const chunks of cuts(body)) {
      const { elements, oversized, problem } = split(chunks);
      expect(problem).toBeUndefined();
      expect(oversized).toEqual([]);
      expect(elements.map((e) => ({ index: e.index, value: JSON.parse(e.text) }))).toEqual(
        expected,
      );
    }
  });

  it.each([
    ['an object', '{"message":"hi"}', 'the answer is not a JSON array'],
    ['HTML', '<html>403</html>', 'the answer is not a JSON array'],
    ['nothing', '  ', 'the answer is empty where a JSON array was expected'],
    ['a trailing comma', '[1,]', 'unexpected "]" where an array entry starts'],
    ['a leading comma', '[,1]', 'unexpected "," where an array entry starts'],
    ['a missing comma', '[{"a":1} {"b":2}]', 'unexpected "{" after array entry #1'],
    ['data after the array', '[1] [2]', 'more data after the end of the JSON array'],
    ['a body cut short', '[{"a":1},{"b":', 'the answer ended before its JSON array was complete'],
    ['an unterminated string', '["abc', 'the answer ended before its JSON array was complete'],
    ['a stray brace', '[1}', 'unexpected "}" in array entry #0'],
  ])('refuses %s at every chunk boundary', (_name, body, message) => {
    for (const chunks of cuts(body)) expect(split(chunks).problem).toBe(message);
  });

  it('skips an entry over the cap without keeping its bytes, and keeps the others', () => {
    const big = `{"Labels":{"x":"${']'.repeat(40)}\\"${'['.repeat(40)}"}}`;
    const body = `[1,${big},"${'y'.repeat(30)}",{"ok":true}]`;
    for (const chunks of cuts(body)) {
      const { elements, oversized, problem } = split(chunks, 20);
      expect(problem).toBeUndefined();
      expect(elements).toEqual([
        { index: 0, text: '1' },
        { index: 3, text: '{"ok":true}' },
      ]);
      expect(oversized).toEqual([
        { index: 1, bytes: Buffer.byteLength(big) },
        { index: 2, bytes: 32 },
      ]);
    }
  });

  it('splits 100,001 entries fed as large chunks, each entry whole', () => {
    const entry = JSON.stringify({ Id: 'b'.repeat(64), Names: ['/x'] });
    let count = 0;
    const splitter = createArraySplitter(1024, {
      onElement: (bytes, index) => {
        expect(index).toBe(count++);
        expect(bytes.toString()).toBe(entry);
      },
      onOversized: () => expect.unreachable(),
    });
    expect(splitter.push(Buffer.from('['))).toBeUndefined();
    const chunk = Buffer.from(`${entry},`.repeat(1000));
    for (let i = 0; i < 100; i++) expect(splitter.push(chunk)).toBeUndefined();
    expect(splitter.push(Buffer.from(`${entry}]`))).toBeUndefined();
    expect(splitter.end()).toBeUndefined();
    expect(count).toBe(100_001);
  });
});
