import { describe, expect, it } from 'vitest';
import { containerDomId } from '../../src/lib/dom-id.ts';

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
