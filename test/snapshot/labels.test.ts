import { describe, expect, it } from 'vitest';
import { readDockpeekLabels } from '../../pipeline/snapshot/labels.ts';

describe('readDockpeekLabels', () => {
  it('keeps only dockpeek.* labels', () => {
    const result = readDockpeekLabels({
      'dockpeek.role': 'anchor',
      'traefik.http.middlewares.auth.basicauth.users': 'admin:$apr1$secret',
      'com.docker.compose.project': 'arr',
    });
    expect(result.stored).toEqual({ 'dockpeek.role': 'anchor' });
    expect(result.role).toBe('anchor');
    expect(result.warnings).toEqual([]);
  });

  it.each([
    [{ 'dockpeek.role': ' Anchor ' }, { role: 'anchor' }, []],
    [
      { 'dockpeek.role': 'boss' },
      {},
      ['unknown role "boss" in dockpeek.role (expected anchor, dependent, standalone); ignored'],
    ],
    [
      { 'dockpeek.anchor-type': 'vpn' },
      {},
      [
        'unknown anchor type "vpn" in dockpeek.anchor-type (expected network, database, service); ignored',
      ],
    ],
    [{ 'dockpeek.anchor': '/gluetun' }, { anchor: 'gluetun' }, []],
    [
      { 'dockpeek.anchor': 'a b' },
      {},
      ['dockpeek.anchor "a b" is not a valid container name; ignored'],
    ],
    [{ 'dockpeek.hide': 'YES' }, { hide: true }, []],
    [
      { 'dockpeek.hide': 'perhaps' },
      { hide: false },
      ['dockpeek.hide="perhaps" is not true or false; read as false'],
    ],
    [{ 'dockpeek.security.skip': 'true' }, { skip: true }, []],
    [{ 'dockpeek.stack': '  media ' }, { stack: 'media' }, []],
    [{ 'dockpeek.stak': 'x' }, {}, [expect.stringMatching(/^unknown label "dockpeek.stak"/)]],
  ])('%j → %j', (labels, expected, warnings) => {
    const result = readDockpeekLabels(labels);
    expect(result).toMatchObject(expected);
    expect(result.warnings).toEqual(warnings);
  });

  it('strips control characters and caps long values, saying so', () => {
    const result = readDockpeekLabels({ 'dockpeek.stack': `a\u0000b\u001b[31m${'y'.repeat(300)}` });
    expect(result.stored['dockpeek.stack']).toBe(`ab[31m${'y'.repeat(194)}`);
    expect(result.warnings).toEqual([
      'dockpeek.stack contained control characters; they were removed',
      'dockpeek.stack is 306 characters long; truncated to 200',
    ]);
  });

  it('reads at most 32 dockpeek labels', () => {
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`dockpeek.x${String(i).padStart(2, '0')}`, 'v']),
    );
    const result = readDockpeekLabels(many);
    expect(Object.keys(result.stored)).toHaveLength(32);
    expect(result.warnings[0]).toBe('40 dockpeek.* labels; only the first 32 were read');
  });
});
