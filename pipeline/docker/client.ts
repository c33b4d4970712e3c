import { readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { DockpeekError, describeError } from '../errors.ts';
import type { HostConfig } from './hosts.ts';

/** Build a dockerode client for one configured host; the scheme picks the transport. */
export function createDockerClient(host: HostConfig, env: NodeJS.ProcessEnv = process.env): Docker {
  const url = new URL(host.url);
  if (url.protocol === 'unix:') return new Docker({ socketPath: decodeURIComponent(url.pathname) });

  const port = url.port ? Number(url.port) : defaultPort(url.protocol);
  if (url.protocol === 'ssh:') {
    return new Docker({
      protocol: 'ssh',
      host: url.hostname,
      port,
      username: decodeURIComponent(url.username) || undefined,
      sshOptions: { agent: env.SSH_AUTH_SOCK, ...readSshKey(env) },
    } as Docker.DockerOptions);
  }
  const tls = url.protocol === 'https:' || Boolean(host.certPath) || env.DOCKER_TLS_VERIFY === '1';
  return new Docker({
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port,
    ...(tls && host.certPath ? readCerts(host) : {}),
  });
}

function defaultPort(protocol: string): number {
  if (protocol === 'ssh:') return 22;
  return protocol === 'https:' ? 2376 : 2375;
}

/** TLS client material from DOCKER_CERT_PATH, as the docker CLI lays it out. */
function readCerts(host: HostConfig): { ca: Buffer; cert: Buffer; key: Buffer } {
  const dir = host.certPath!;
  try {
    return {
      ca: readFileSync(path.join(dir, 'ca.pem')),
      cert: readFileSync(path.join(dir, 'cert.pem')),
      key: readFileSync(path.join(dir, 'key.pem')),
    };
  } catch (error) {
    throw new DockpeekError(
      'config_invalid',
      `host "${host.name}": cannot read TLS certificates in ${dir}: ${describeError(error)}`,
      'The folder must hold ca.pem, cert.pem and key.pem (as for `docker --tlsverify`).',
    );
  }
}

/** An explicit private key for ssh:// hosts, when no agent holds it. */
function readSshKey(env: NodeJS.ProcessEnv): { privateKey?: Buffer } {
  const file = env.DOCKPEEK_SSH_KEY;
  if (!file) return {};
  try {
    return { privateKey: readFileSync(file) };
  } catch (error) {
    throw new DockpeekError('config_invalid', `DOCKPEEK_SSH_KEY: ${describeError(error)}`);
  }
}
