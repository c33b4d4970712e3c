import { describe, expect, it } from 'vitest';
import { containerDomId, imageSlug } from '../../../pipeline/findings/ids.ts';

describe('containerDomId', () => {
  it.each([
    [
      { host: 'nas-1', name: 'web' },
      { host: 'nas', name: '1-web' },
    ],
    [
      { host: 'lab', name: 'a<b' },
      { host: 'lab', name: 'a>b' },
    ],
    [
      { host: 'lab', name: 'a_b' },
      { host: 'lab', name: 'a.b' },
    ],
    [
      { host: 'lab', name: 'web-dep' },
      { host: 'lab', name: 'web' },
    ],
  ])('%o and %o get different ids', (a, b) => {
    expect(containerDomId(a)).not.toBe(containerDomId(b));
    // A row's tooltip ids are the row id plus a suffix; those must not collide either.
    expect(`${containerDomId(a)}-dep`).not.toBe(containerDomId(b));
  });

  it('keeps plain names readable and ids valid', () => {
    expect(containerDomId({ host: 'server', name: 'sonarr' })).toBe('c-server-sonarr');
    expect(containerDomId({ host: 'server', name: 'gluetun-vpn' })).toBe('c-server-gluetun_2d_vpn');
    expect(containerDomId({ host: 'x', name: '<script>"' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('imageSlug', () => {
  it('uses the id itself when it is a valid sha256 id', () => {
    expect(imageSlug(`sha256:${'ab'.repeat(32)}`)).toBe('abababababababab');
  });

  it.each([
    'sha256:../../etc/passwd',
    'sha256:/x',
    `sha256:${'AB'.repeat(32)}`,
    'ref:evil/app:1',
    '../../x',
    '',
  ])('never lets %j reach a path', (key) => {
    expect(imageSlug(key)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives distinct keys distinct slugs', () => {
    expect(imageSlug('ref:a:1')).not.toBe(imageSlug('ref:a:2'));
  });
});
