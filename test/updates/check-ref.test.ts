import { describe, expect, it } from 'vitest';
import {
  digestsFor,
  explainRegistryError,
  repositoryOf,
  uncheckable,
} from '../../pipeline/updates/check-ref.ts';

describe('update checks without a registry', () => {
  it.each([
    ['nginx:1.27', 'docker.io/library/nginx'],
    ['nginx', 'docker.io/library/nginx'],
    ['linuxserver/sonarr:4', 'docker.io/linuxserver/sonarr'],
    ['lscr.io/linuxserver/sonarr:4', 'lscr.io/linuxserver/sonarr'],
    ['127.0.0.1:5000/app:1.0', '127.0.0.1:5000/app'],
    ['localhost/app', 'localhost/app'],
    ['nginx@sha256:abc', 'docker.io/library/nginx'],
    ['registry.lan:443/team/app@sha256:abc', 'registry.lan:443/team/app'],
  ])('repositoryOf(%s) = %s', (ref, repository) => {
    expect(repositoryOf(ref)).toBe(repository);
  });

  it('compares only digests of the same repository', () => {
    expect(
      digestsFor('busybox:fixture', ['127.0.0.1:5000/app@sha256:1', 'busybox@sha256:2']),
    ).toEqual(['busybox@sha256:2']);
  });

  it.each([
    ['nginx@sha256:abc', ['nginx@sha256:abc'], 'pinned by digest'],
    [
      'sha256:0123',
      [],
      'the container runs an image no tag names any more (pulled a newer one but not recreated, or removed)',
    ],
    ['myapp:dev', [], 'local-only image (built or imported here, no repo digest)'],
    ['nginx:1', ['nginx@sha256:abc'], undefined],
  ])('uncheckable(%s)', (ref, digests, reason) => {
    expect(uncheckable(ref, digests)).toBe(reason);
  });

  it.each([
    [
      {
        statusCode: 500,
        json: { message: 'Head "https://r/v2/a/manifests/1": no basic auth credentials' },
      },
      /^authentication required/,
    ],
    [{ statusCode: 401, json: { message: 'unauthorized' } }, /^authentication required/],
    [{ statusCode: 404, json: { message: 'manifest unknown' } }, /^not found in the registry/],
    [
      {
        statusCode: 500,
        json: {
          message:
            'Get "http://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused',
        },
      },
      /^registry unreachable/,
    ],
    [
      { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED /var/run/docker.sock' },
      /^Docker host unreachable/,
    ],
  ])('explains %j', (error, reason) => {
    expect(explainRegistryError(error)).toMatch(reason);
  });
});
