import { describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  keyTypeOf,
  knownAlgorithms,
  knownHostsName,
  matchesHost,
  parseKnownHosts,
} from '../../pipeline/docker/known-hosts.ts';

// Real keys from ssh-keygen (OpenSSH 9.2); the fingerprint is what `ssh-keygen -lf` printed.
const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIO5Zee0zbUY9KwypFn/Fg5ZjGtAi9dFckzgKguvLeeMs';
const K1_FINGERPRINT = 'SHA256:gkZzRnn/5m5LQ8wjo9td8nEibyDI7SkRxAYDyhtzQrU';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIBx+GqHdyaBT8f2ERiWUty3lQvbrrJQlPwAOoyOiFgfX';
const K3 =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGvzQciH8k99J0qLJRa0bt/BidXV6rSWOabpiFY4lFD/MnN9VJEEFj/eC4RPE0hXPAaAp92NPASfcNC1p5JPTao=';
const key = (base64: string) => Buffer.from(base64, 'base64');

// `ssh-keygen -H` of "[127.0.0.1]:2222 ssh-ed25519 K1" and "nas.lan ssh-ed25519 K2".
const HASHED = `|1|aAk5rbCU4NF4Arsp1uYU5xjXfEs=|E5W89ISIXYSKRUqKNj4KVZCQ9QA= ssh-ed25519 ${K1}
|1|jJuQo5dzlfhv885Q0eyR4AcBf9I=|zw1bE69SwgHd6OmnhUrrV7ylpA4= ssh-ed25519 ${K2}
`;

const PLAIN = `# comment
pi.lan,10.0.0.7 ssh-ed25519 ${K1}
*.example.com,!evil.example.com ecdsa-sha2-nistp256 ${K3}
[vps.lan]:2200 ssh-ed25519 ${K2}
@revoked * ssh-ed25519 ${K2}
@cert-authority *.corp ssh-ed25519 ${K1}
@future-marker x ssh-ed25519 ${K1}
broken-line-without-key
mixed.lan ssh-rsa not-base64!
`;

describe('known_hosts', () => {
  it('names a host plainly on port 22 and as [host]:port elsewhere', () => {
    expect(knownHostsName('NAS.lan', 22)).toBe('nas.lan');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('reads key lines and skips comments, unknown markers and malformed lines', () => {
    expect(parseKnownHosts(PLAIN).map((e) => [e.line, e.marker, e.hosts, e.keyType])).toEqual([
      [2, undefined, 'pi.lan,10.0.0.7', 'ssh-ed25519'],
      [3, undefined, '*.example.com,!evil.example.com', 'ecdsa-sha2-nistp256'],
      [4, undefined, '[vps.lan]:2200', 'ssh-ed25519'],
      [5, '@revoked', '*', 'ssh-ed25519'],
      [6, '@cert-authority', '*.corp', 'ssh-ed25519'],
    ]);
  });

  it.each([
    ['pi.lan', true],
    ['10.0.0.7', true],
    ['10.0.0.70', false],
    ['web.example.com', true],
    ['evil.example.com', false],
    ['[vps.lan]:2200', true],
    ['vps.lan', false],
    ['[127.0.0.1]:2222', true],
    ['[127.0.0.1]:22', false],
    ['127.0.0.1', false],
    ['nas.lan', true],
  ])('%s is named: %s', (name, named) => {
    const entries = [...parseKnownHosts(PLAIN), ...parseKnownHosts(HASHED)].filter(
      (e) => !e.marker,
    );
    expect(entries.some((e) => matchesHost(e.hosts, name))).toBe(named);
  });

  it.each([
    ['a plain entry with the key', PLAIN, 'pi.lan', K1, { verdict: 'known' }],
    ['a hashed [host]:port entry', HASHED, '[127.0.0.1]:2222', K1, { verdict: 'known' }],
    [
      'a hashed entry with another key',
      HASHED,
      '[127.0.0.1]:2222',
      K2,
      { verdict: 'changed', lines: [1] },
    ],
    ['a plain entry with another key', PLAIN, 'pi.lan', K3, { verdict: 'changed', lines: [2] }],
    ['no entry', PLAIN, 'other.lan', K1, { verdict: 'unknown', caOnly: false }],
    ['only a CA line', PLAIN, 'db.corp', K1, { verdict: 'unknown', caOnly: true }],
    [
      'a revoked key, even where it is also listed',
      PLAIN,
      '[vps.lan]:2200',
      K2,
      { verdict: 'revoked', line: 5 },
    ],
    ['an empty file', '', 'pi.lan', K1, { verdict: 'unknown', caOnly: false }],
  ])('%s', (_title, file, name, presented, verdict) => {
    expect(checkHostKey(parseKnownHosts(file), name, key(presented))).toEqual(verdict);
  });

  it('offers only the key types known for the host, RSA with its SHA-2 signatures', () => {
    const entries = parseKnownHosts(`${PLAIN}rsa.lan ssh-rsa ${K2}\n`);
    expect(knownAlgorithms(entries, 'web.example.com')).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownAlgorithms(entries, 'rsa.lan')).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
    ]);
    expect(knownAlgorithms(entries, 'db.corp')).toEqual([]);
  });

  it('prints a key as ssh-keygen -l does', () => {
    expect(keyTypeOf(key(K1))).toBe('ssh-ed25519');
    expect(fingerprint(key(K1))).toBe(K1_FINGERPRINT);
  });
});
