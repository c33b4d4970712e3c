import { describe, expect, it } from 'vitest';
import { createDockerClient } from '../../pipeline/docker/client.ts';
import { displayUrl, readHostConfigs } from '../../pipeline/docker/hosts.ts';
import { resolveEndpoint } from '../../pipeline/docker/transport.ts';
import { DockpeekError } from '../../pipeline/errors.ts';

describe('readHostConfigs', () => {
  it('defaults to the local socket', () => {
    expect(readHostConfigs({})).toEqual([
      { name: 'local', url: 'unix:///var/run/docker.sock', certPath: undefined },
    ]);
  });

  it('adds DOCKER_HOST_<N>_URL hosts in numeric order', () => {
    const hosts = readHostConfigs({
      DOCKER_HOST: 'unix:///run/docker.sock',
      DOCKER_HOST_NAME: 'server',
      DOCKER_HOST_10_URL: 'ssh://admin@nas.lan',
      DOCKER_HOST_2_URL: 'tcp://10.0.0.5:2375',
      DOCKER_HOST_2_NAME: 'pi',
      DOCKER_HOST_3_URL: 'https://vps.example.com:2376',
      DOCKER_HOST_3_CERT_PATH: '/etc/dockpeek/vps',
    });
    expect(hosts.map((h) => [h.name, h.url, h.certPath])).toEqual([
      ['server', 'unix:///run/docker.sock', undefined],
      ['pi', 'tcp://10.0.0.5:2375', undefined],
      ['vps', 'https://vps.example.com:2376', '/etc/dockpeek/vps'].map((v, i) =>
        i === 0 ? 'host3' : v,
      ),
      ['host10', 'ssh://admin@nas.lan', undefined],
    ]);
  });

  it.each([
    [{ DOCKER_HOST: 'ftp://x' }, 'DOCKER_HOST uses the unsupported scheme "ftp:"'],
    [{ DOCKER_HOST: 'not a url' }, 'DOCKER_HOST="not a url" is not a URL'],
    [
      { DOCKER_HOST_1_NAME: 'nas' },
      'DOCKER_HOST_1_NAME or _CERT_PATH is set but DOCKER_HOST_1_URL is not',
    ],
    [
      { DOCKER_HOST_1_URL: 'tcp://a:1', DOCKER_HOST_1_NAME: 'local' },
      'two Docker hosts are both named "local"',
    ],
    [
      { DOCKER_HOST_1_URL: 'tcp://a:1', DOCKER_HOST_1_NAME: '<b>x</b>' },
      'DOCKER_HOST_1_NAME="<b>x</b>" is not an allowed host name',
    ],
    [{ DOCKER_HOST_NAME: 'my host' }, 'DOCKER_HOST_NAME="my host" is not an allowed host name'],
  ])('rejects %j', (env, message) => {
    const error = (() => {
      try {
        readHostConfigs(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DockpeekError);
    expect(error).toMatchObject({ code: 'config_invalid', message });
  });

  it('never shows a password', () => {
    expect(displayUrl('tcp://user:hunter2@proxy:2375')).toBe('tcp://user@proxy:2375');
    expect(displayUrl('unix:///var/run/docker.sock')).toBe('unix:///var/run/docker.sock');
  });
});

describe('resolveEndpoint', () => {
  it.each([
    ['unix:///run/docker.sock', {}, { kind: 'unix', path: '/run/docker.sock' }],
    ['tcp://10.0.0.5:2375', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false }],
    ['tcp://10.0.0.5', {}, { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false }],
    ['tcp://10.0.0.5', { DOCKER_TLS_VERIFY: '1' }, { kind: 'tcp', port: 2376, tls: true }],
    ['https://vps:2376', {}, { kind: 'tcp', host: 'vps', port: 2376, tls: true }],
    ['tcp://[::1]:2375', {}, { kind: 'tcp', host: '::1', port: 2375, hostHeader: '[::1]:2375' }],
    ['ssh://admin@nas:2222', {}, { kind: 'ssh', host: 'nas', port: 2222, user: 'admin' }],
    ['ssh://nas', {}, { kind: 'ssh', host: 'nas', port: 22, user: '' }],
  ])('%s %j', (url, env, expected) => {
    expect(resolveEndpoint({ name: 'h', url }, env)).toMatchObject(expected);
  });

  it('uses TLS for a tcp:// host with a cert path', () => {
    expect(
      resolveEndpoint({ name: 'h', url: 'tcp://vps:2376', certPath: '/etc/dockpeek/vps' }, {}),
    ).toMatchObject({ kind: 'tcp', tls: true });
  });
});

describe('createDockerClient', () => {
  it('fails that host alone, coded, when its TLS certificates are missing', async () => {
    const client = createDockerClient(
      { name: 'vps', url: 'https://127.0.0.1:9', certPath: '/nonexistent' },
      {},
      { connectTimeoutMs: 1000 },
    );
    expect(await client.ping(1000)).toEqual({
      ok: false,
      failure: {
        code: 'tls_error',
        message: expect.stringMatching(/^cannot read TLS certificates in \/nonexistent: /),
      },
    });
  });
});
