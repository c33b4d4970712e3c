// Real ssh: Debian's sshd on 127.0.0.1 with its own config and host key; the test's key may only
// run `docker -H unix://<test daemon> system dial-stdio` (a forced command). known_hosts, the key
// and HOME all point at test files, so nothing of the machine's own ssh setup is read.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import type { HostErrorCode } from '../../pipeline/vocabulary.ts';
import { makeDataDir, readTree, runCli } from '../helpers/cli.ts';
import { makeKey, startSshd, type TestSshd } from '../helpers/sshd.ts';

describe('ssh hosts through a real sshd and docker system dial-stdio', () => {
  let root: string;
  let home: string;
  let sshd: TestSshd;
  let fingerprint: string;
  const keys: Record<'client' | 'broken' | 'stranger' | 'locked', string> = {
    client: '',
    broken: '',
    stranger: '',
    locked: '',
  };
  const known: Record<'plain' | 'empty' | 'changed' | 'rsaOnly', string> = {
    plain: '',
    empty: '',
    changed: '',
    rsaOnly: '',
  };

  beforeAll(async () => {
    root = mkdtempSync('/tmp/dpk-ssh-');
    home = path.join(root, 'home');
    const client = makeKey(root, 'client');
    const broken = makeKey(root, 'broken');
    const stranger = makeKey(root, 'stranger');
    keys.client = client.file;
    keys.broken = broken.file;
    keys.stranger = stranger.file;
    keys.locked = path.join(root, 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'pass-Phrase-9', '-f', keys.locked]);
    const forced = (socket: string) =>
      `command="docker -H unix://${socket} system dial-stdio",no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding`;
    sshd = await startSshd(path.join(root, 'sshd'), [
      `${forced(inject('dockerSocket'))} ${client.pub}`,
      `${forced('/nonexistent/docker.sock')} ${broken.pub}`,
    ]);
    fingerprint = execFileSync('ssh-keygen', ['-lf', path.join(root, 'sshd', 'host_ed25519.pub')])
      .toString()
      .split(' ')[1]!;
    const name = `[127.0.0.1]:${sshd.port}`;
    const write = (file: string, text: string) => {
      writeFileSync(path.join(root, file), text);
      return path.join(root, file);
    };
    known.plain = write('known-plain', `${name} ${sshd.hostKey}\n`);
    known.empty = write('known-empty', '');
    known.changed = write('known-changed', `${name} ${stranger.pub}\n`);
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', `${root}/rsa`]);
    known.rsaOnly = write('known-rsa', `${name} ${readFileSync(`${root}/rsa.pub`, 'utf8')}`);
    // The default file, hashed as `ssh-keyscan -H` writes it.
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    writeFileSync(
      path.join(home, '.ssh', 'known_hosts'),
      execFileSync('ssh-keyscan', ['-H', '-p', String(sshd.port), '127.0.0.1'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await sshd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** The lab over its unix socket, plus "nas" over ssh with the given settings. */
  async function snapshot(env: Record<string, string>, args: string[] = []) {
    const dataDir = makeDataDir();
    const run = await runCli(['snapshot', ...args], {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKER_HOST_1_URL: `ssh://root@127.0.0.1:${sshd.port}`,
      DOCKER_HOST_1_NAME: 'nas',
      DOCKPEEK_DATA_DIR: dataDir,
      HOME: home,
      ...env,
    });
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    const count = (host: string) => db.snapshot!.containers.filter((c) => c.host === host).length;
    return { run, nas: db.snapshot!.hosts.find((h) => h.name === 'nas')!, count, dataDir };
  }
  const accepted = () => readFileSync(sshd.log, 'utf8').split('Accepted publickey').length - 1;

  it('reads a host whose key known_hosts holds, over one ssh connection for all requests', async () => {
    const before = accepted();
    const { run, nas, count } = await snapshot(
      { DOCKPEEK_SSH_KNOWN_HOSTS: known.plain, DOCKPEEK_SSH_KEY: keys.client },
      ['--inspect'],
    );
    expect(run.exitCode, run.stderr).toBe(0);
    expect(nas).toMatchObject({ ok: true, containerCount: 18 });
    expect(count('nas')).toBe(17);
    expect(count('lab')).toBe(17);
    // 3 + 17 requests (ping, two lists, an inspect each), one connection.
    expect(accepted() - before).toBe(1);
  });

  it('reads ~/.ssh/known_hosts by default, hashed entries included', async () => {
    const { run, count } = await snapshot({ DOCKPEEK_SSH_KEY: keys.client });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(count('nas')).toBe(17);
  });

  it.each<[string, () => Record<string, string>, HostErrorCode, () => RegExp]>([
    [
      'an unknown host key',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.empty, DOCKPEEK_SSH_KEY: keys.client }),
      'ssh_host_unknown',
      () =>
        new RegExp(
          `^the ssh host key of \\[127\\.0\\.0\\.1\\]:${sshd.port} is not in ${known.empty}; it offered ssh-ed25519 ${escape(fingerprint)}\\. Check that fingerprint on the host .*then add it: ssh-keyscan -p ${sshd.port} 127\\.0\\.0\\.1 >> ${known.empty}$`,
        ),
    ],
    [
      'a changed host key',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.changed, DOCKPEEK_SSH_KEY: keys.client }),
      'ssh_host_changed',
      () =>
        new RegExp(
          `^the ssh host key of \\[127\\.0\\.0\\.1\\]:${sshd.port} has changed: it offered ssh-ed25519 ${escape(fingerprint)}, not the key .* holds \\(line 1\\)\\. This may be a man-in-the-middle attack\\.`,
        ),
    ],
    [
      'known_hosts holding only a key type the host does not offer',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.rsaOnly, DOCKPEEK_SSH_KEY: keys.client }),
      'ssh_host_changed',
      () =>
        /offers no key of the type\(s\) .* holds for it \(rsa-sha2-512, rsa-sha2-256, ssh-rsa\): this may be a man-in-the-middle attack/,
    ],
    [
      'a key the server does not accept',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.plain, DOCKPEEK_SSH_KEY: keys.stranger }),
      'ssh_auth_failed',
      () =>
        new RegExp(
          `^the ssh server 127\\.0\\.0\\.1:${sshd.port} refused user "root" with the key in DOCKPEEK_SSH_KEY \\(${keys.stranger}\\)`,
        ),
    ],
    [
      'no key and no agent',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.plain }),
      'ssh_auth_failed',
      () => /^no ssh key to offer: set DOCKPEEK_SSH_KEY .* or run an ssh-agent \(SSH_AUTH_SOCK\)$/,
    ],
    [
      'a passphrase-protected key',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.plain, DOCKPEEK_SSH_KEY: keys.locked }),
      'ssh_auth_failed',
      () =>
        /^cannot use the key in DOCKPEEK_SSH_KEY \(.*\): .*passphrase.*; a passphrase-protected key must be loaded into an ssh-agent \(SSH_AUTH_SOCK\) instead$/,
    ],
    [
      'a remote docker that cannot reach its daemon',
      () => ({ DOCKPEEK_SSH_KNOWN_HOSTS: known.plain, DOCKPEEK_SSH_KEY: keys.broken }),
      'ssh_error',
      () =>
        /^the remote `docker system dial-stdio` failed: .*dial unix \/nonexistent\/docker\.sock: connect: no such file or directory$/,
    ],
  ])('%s: coded, the lab still read, exit 2', async (_title, env, code, message) => {
    const settings = env();
    const { run, nas, count, dataDir } = await snapshot(settings);
    expect(run.exitCode, run.stderr).toBe(2);
    expect(nas).toMatchObject({ ok: false, errorCode: code });
    expect(nas.error).toMatch(message());
    expect(run.stderr).toContain(`[${code}]`);
    expect(count('lab')).toBe(17);
    // Neither the private key nor a passphrase reaches the output or the store.
    const file = settings.DOCKPEEK_SSH_KEY;
    if (file) {
      const body = readFileSync(file, 'utf8').split('\n')[1]!;
      expect(run.stderr + run.stdout).not.toContain(body);
      for (const { text } of readTree(dataDir)) expect(text).not.toContain(body);
    }
    expect(run.stderr).not.toContain('pass-Phrase-9');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
