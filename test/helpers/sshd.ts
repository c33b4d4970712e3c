import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { waitFor } from './dockerd.ts';
import { findClosedPort } from './recording-proxy.ts';

/** A private OpenSSH server on 127.0.0.1 with its own config, host key and authorized keys. */
export interface TestSshd {
  port: number;
  /** "ssh-ed25519 AAAA…" of its host key. */
  hostKey: string;
  /** Its log (LogLevel VERBOSE): one "Accepted publickey" line per connection. */
  log: string;
  stop(): Promise<void>;
}

/** A fresh ed25519 key pair under `dir`; returns the private key's path and the public line. */
export function makeKey(dir: string, name: string): { file: string; pub: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', file]);
  return { file, pub: readFileSync(`${file}.pub`, 'utf8').trim() };
}

/**
 * Start Debian's sshd (-D -e -f <our config>) as root on a free port. It touches nothing of the
 * machine's own sshd: its config, host key, pid file, authorized keys and log live in `dir`.
 */
export async function startSshd(dir: string, authorizedKeys: string[]): Promise<TestSshd> {
  if (!existsSync('/usr/sbin/sshd'))
    throw new Error('ssh tests need sshd: apt-get install -y openssh-server openssh-client');
  mkdirSync(path.join(dir, 'home'), { recursive: true });
  // sshd refuses to start without its privilege-separation directory.
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = makeKey(dir, 'host_ed25519');
  const keys = path.join(dir, 'authorized_keys');
  writeFileSync(keys, `${authorizedKeys.join('\n')}\n`, { mode: 0o600 });
  const port = await findClosedPort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.file}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${keys}`,
      'AuthenticationMethods publickey',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      // The test folder is under /tmp (world-writable): StrictModes would refuse its keys.
      'StrictModes no',
      'UsePAM no',
      // The forced command runs through root's shell: with HOME here it reads no rc file of the
      // machine's root user (a slow ~/.bashrc made every request take seconds).
      `SetEnv HOME=${path.join(dir, 'home')}`,
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  const log = path.join(dir, 'sshd.log');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {
    stdio: ['ignore', 'ignore', openSync(log, 'a')],
  });
  await waitFor(() => banner(port), 20_000, `sshd did not start; see ${log}`);
  return {
    port,
    hostKey: hostKey.pub,
    log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Whether an SSH server answers on the port with its version banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('SSH-2.0-'));
    });
    socket.once('error', () => resolve(false));
  });
}
