import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostLine {
  /** 1-based line number, for messages. */
  line: number;
  marker?: '@revoked' | '@cert-authority';
  /** Comma-separated patterns, or one hashed name (|1|salt|hash). */
  hosts: string;
  keyType: string;
  /** The key blob (SSH wire format), as ssh2 hands it to the host verifier. */
  key: Buffer;
}

/** What known_hosts says about the key a host presented. */
export type HostKeyVerdict =
  | { verdict: 'known' }
  | { verdict: 'unknown'; caOnly: boolean }
  | { verdict: 'changed'; lines: number[] }
  | { verdict: 'revoked'; line: number };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parse known_hosts; comments, blank, malformed and unknown-marker lines are skipped. */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const entries: KnownHostLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') return;
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key || !BASE64.test(key)) return;
    entries.push({
      line: i + 1,
      ...(marker && { marker }),
      hosts,
      keyType,
      key: Buffer.from(key, 'base64'),
    });
  });
  return entries;
}

/** How known_hosts names a host: plainly on port 22, as [host]:port on any other. */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** Whether a line's host field names `name`: hashed (HMAC-SHA1) or patterns with * ? and !. */
export function matchesHost(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  let matched = false;
  for (const pattern of field.toLowerCase().split(',')) {
    const negated = pattern.startsWith('!');
    if (!wildcard(negated ? pattern.slice(1) : pattern).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** Compare a presented key with what known_hosts holds for the host. */
export function checkHostKey(
  entries: KnownHostLine[],
  name: string,
  presented: Buffer,
): HostKeyVerdict {
  const forHost = entries.filter((e) => matchesHost(e.hosts, name));
  const revoked = forHost.find((e) => e.marker === '@revoked' && e.key.equals(presented));
  if (revoked) return { verdict: 'revoked', line: revoked.line };
  const keys = forHost.filter((e) => !e.marker);
  if (keys.some((e) => e.key.equals(presented))) return { verdict: 'known' };
  if (keys.length) return { verdict: 'changed', lines: keys.map((e) => e.line) };
  return { verdict: 'unknown', caOnly: forHost.some((e) => e.marker === '@cert-authority') };
}

// ssh2's names for the host-key algorithms each known_hosts key type can be verified with.
const ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * The host-key algorithms to offer: only those of keys known for the host, as OpenSSH does, so a
 * host known by its RSA key is not called "changed" for also having an ed25519 one.
 */
export function knownAlgorithms(entries: KnownHostLine[], name: string): string[] {
  const types = entries
    .filter((e) => !e.marker && matchesHost(e.hosts, name))
    .map((e) => e.keyType);
  return [...new Set(types.flatMap((t) => ALGORITHMS[t] ?? []))];
}

/** The key type inside a key blob (its first SSH string), e.g. ssh-ed25519. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + Math.min(length, 64)).toString('latin1');
}

/** The fingerprint ssh-keygen -l prints: SHA256:<base64, unpadded>. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
