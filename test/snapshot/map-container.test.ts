import { describe, expect, it } from 'vitest';
import { ApiContainerSchema } from '../../pipeline/docker/api-schema.ts';
import { imageRefProblem } from '../../pipeline/scan/image-identity.ts';
import { mapContainer, parseDependsOn, readStatus } from '../../pipeline/snapshot/map-container.ts';

describe('readStatus', () => {
  it.each([
    [{ State: 'running', Status: 'Up 2 hours (healthy)' }, { health: 'healthy' }],
    [{ State: 'running', Status: 'Up 5 seconds (health: starting)' }, { health: 'starting' }],
    [{ State: 'running', Status: 'Up 3 days (unhealthy)' }, { health: 'unhealthy' }],
    [{ State: 'exited', Status: 'Exited (137) 5 minutes ago' }, { exitCode: 137 }],
    [{ State: 'restarting', Status: 'Restarting (1) 2 seconds ago' }, { exitCode: 1 }],
    [
      { State: 'running', Status: 'Up 1 minute', Health: { Status: 'healthy' } },
      { health: 'healthy' },
    ],
    [{ State: 'created', Status: 'Created' }, {}],
  ])('%j', (input, expected) => {
    expect(readStatus(input)).toEqual(expected);
  });
});

describe('parseDependsOn', () => {
  it.each([
    [undefined, []],
    ['db:service_started:false,redis:service_healthy:true', ['db', 'redis']],
    ['db', ['db']],
    ['db:x, db:y ,<script>:z', ['db']],
  ])('%j', (input, expected) => {
    expect(parseDependsOn(input)).toEqual(expected);
  });
});

describe('mapContainer', () => {
  // A real GET /containers/json entry (dockerd 20.10), trimmed of nothing: what Docker sends.
  const raw = {
    Id: '3f1c6b0e8a1d5b1d0e3f8d2c4b6a7e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    Names: ['/nextcloud', '/proxy/nc'],
    Image: 'nextcloud:30',
    ImageID: 'sha256:abc',
    Command: 'sh -c "PASSWORD=hunter2 /entrypoint.sh"',
    Created: 1764100000,
    Ports: [
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 9000, Type: 'tcp' },
    ],
    Labels: {
      'com.docker.compose.project': 'cloud',
      'com.docker.compose.service': 'app',
      'com.docker.compose.depends_on': 'db:service_started:false',
      'org.opencontainers.image.source': 'https://github.com/nextcloud/docker',
      'traefik.http.middlewares.auth.basicauth.users': 'admin:$apr1$x',
      'dockpeek.stack': 'files',
    },
    State: 'running',
    Status: 'Up 2 hours (healthy)',
    HostConfig: { NetworkMode: 'cloud_default' },
    NetworkSettings: { Networks: { cloud_default: { IPAddress: '172.18.0.3' }, proxy: {} } },
    Mounts: [{ Source: '/srv/nextcloud' }],
  };

  it('keeps the allow-list and nothing else', () => {
    const { container } = mapContainer(
      'lab',
      ApiContainerSchema.parse(raw),
      new Map([['sha256:abc', ['nextcloud@sha256:def']]]),
      undefined,
    );
    expect(container).toEqual({
      host: 'lab',
      id: raw.Id,
      name: 'nextcloud',
      image: 'nextcloud:30',
      imageId: 'sha256:abc',
      repoDigests: ['nextcloud@sha256:def'],
      state: 'running',
      health: 'healthy',
      createdAt: '2025-11-25T19:46:40.000Z',
      ports: [
        { ip: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
        { privatePort: 9000, type: 'tcp' },
      ],
      networkMode: 'cloud_default',
      networks: ['cloud_default', 'proxy'],
      compose: { project: 'cloud', service: 'app', dependsOn: ['db'] },
      ociSource: 'https://github.com/nextcloud/docker',
      labels: { 'dockpeek.stack': 'files' },
      stack: 'files',
      scanSkip: false,
    });
    expect(JSON.stringify(container)).not.toMatch(/hunter2|apr1|srv\/nextcloud|172\.18/);
  });

  it('cleans every field a hostile host fills, escaping identities so they stay refused', () => {
    const { container, labels } = mapContainer(
      'lab',
      ApiContainerSchema.parse({
        ...raw,
        Image: 'nginx\u202E:1',
        ImageID: 'sha256:abc\u200B',
        State: 'running\u001b[2J',
        Status: 'Up 2 hours',
        Health: { Status: 'healthy\u2066' },
        Ports: [{ IP: '0.0.0.0\u00AD', PrivatePort: 80, Type: 'tcp\u0000' }],
        HostConfig: { NetworkMode: 'container:db\u{E0041}' },
        NetworkSettings: { Networks: { 'front\uFEFF': {} } },
      }),
      new Map([['sha256:abc\u200B', ['nginx@sha256:def\u2060']]]),
      { State: { StartedAt: '2026-01-01T00:00:00Z\u0085' } },
    );
    expect(container).toMatchObject({
      image: 'nginx\\u202e:1',
      imageId: 'sha256:abc\\u200b',
      repoDigests: ['nginx@sha256:def\\u2060'],
      state: 'running[2J',
      health: 'healthy',
      startedAt: '2026-01-01T00:00:00Z',
      ports: [{ ip: '0.0.0.0', privatePort: 80, type: 'tcp' }],
      networkMode: 'container:db',
      networks: ['front'],
    });
    expect(imageRefProblem(container.image)).toMatch(/contains "\\\\"/);
    expect(labels.warnings).toEqual(
      expect.arrayContaining([
        'image reference contained control or invisible characters; they are shown escaped',
        'state contained control characters; they were removed',
        'network name contained invisible or bidirectional formatting characters (U+FEFF); they were removed',
      ]),
    );
  });
});
