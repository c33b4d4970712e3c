import { readFileSync } from 'node:fs';
import { cleanRemoteText, type Result } from './host-failure.ts';
import { parseKnownHosts, type KnownHostLine } from './known-hosts.ts';

/** The ssh2 module, loaded lazily by the ssh transport. */
export type Ssh2 = typeof import('ssh2');

/** Our key: DOCKPEEK_SSH_KEY and/or the agent; the key itself never reaches a message. */
export function readAuth(
  env: NodeJS.ProcessEnv,
  ssh2: Ssh2,
): Result<{ privateKey?: Buffer; agent?: string; source: string }> {
  const agent = env.SSH_AUTH_SOCK || undefined;
  const file = env.DOCKPEEK_SSH_KEY;
  const refuse = (message: string): Result<never> => ({
    ok: false,
    failure: { code: 'ssh_auth_failed', message },
  });
  if (!file) {
    if (agent) return { ok: true, value: { agent, source: 'the keys of the ssh-agent' } };
    return refuse(
      'no ssh key to offer: set DOCKPEEK_SSH_KEY to a private key file, or run an ssh-agent (SSH_AUTH_SOCK)',
    );
  }
  let privateKey: Buffer;
  try {
    privateKey = readFileSync(file);
  } catch (error) {
    return refuse(`cannot read DOCKPEEK_SSH_KEY (${file}): ${(error as { code?: string }).code}`);
  }
  const parsed = ssh2.utils.parseKey(privateKey);
  if (parsed instanceof Error) {
    // ssh2's reasons name the format ("Encrypted private OpenSSH key detected…"), never content.
    const reason = cleanRemoteText(parsed.message, 120);
    const hint = /encrypted|passphrase/i.test(reason)
      ? '; a passphrase-protected key must be loaded into an ssh-agent (SSH_AUTH_SOCK) instead'
      : '';
    return refuse(`cannot use the key in DOCKPEEK_SSH_KEY (${file}): ${reason}${hint}`);
  }
  const source = `the key in DOCKPEEK_SSH_KEY (${file})${agent ? ' and the ssh-agent' : ''}`;
  return { ok: true, value: { privateKey, ...(agent && { agent }), source } };
}

/**
 * known_hosts lines, and the file as messages should name it: a missing file is empty (every
 * host unknown), an unreadable one says so.
 */
export function readKnownHosts(file: string): { entries: KnownHostLine[]; display: string } {
  try {
    return { entries: parseKnownHosts(readFileSync(file, 'utf8')), display: file };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { entries: [], display: code === 'ENOENT' ? file : `${file} (unreadable: ${code})` };
  }
}
