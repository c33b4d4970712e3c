import { describe, expect, it } from 'vitest';
import {
  digestsFor,
  explainRegistryError,
  repositoryOf,
  uncheckable,
} from '../../pipeline/updates/check-ref.ts';
import { distributionPath, isPlausibleReference } from '../../pipeline/updates/reference.ts';

describe('update checks without a registry', () => {
  it.each([
    ['nginx:1.27', true],
    ['registry.example.com:5000/team/app:1.0', true],
    ['127.0.0.1:5000/app:1.0', true],
    ['ghcr.io/immich-app/immich-server:v1.123.0', true],
    ['nginx@sha256:' + 'a'.repeat(64), true],
    ['../../containers/x', false],
    ['nginx:1?all=1', false],
    ['nginx/../x', false],
    ['Nginx:1', false],
    ['', false],
    ['a'.repeat(600), false],
  ])('isPlausibleReference(%s) = %s', (ref, plausible) => {
    expect(isPlausibleReference(ref)).toBe(plausible);
  });

  it('encodes each path segment of a reference', () => {
    expect(distributionPath('127.0.0.1:5000/team/app:1.0')).toBe(
      '/distribution/127.0.0.1%3A5000/team/app%3A1.0/json',
    );
  });

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

  const http = (status: number, detail: string) => ({
    code: 'http_error' as const,
    status,
    detail,
    message: `Docker API answered HTTP ${status}: ${detail}`,
  });
  it.each([
    [
      http(500, 'Head "https://r/v2/a/manifests/1": no basic auth credentials'),
      /^authentication required/,
    ],
    [http(401, 'unauthorized'), /^authentication required/],
    [http(404, 'manifest unknown'), /^not found in the registry/],
    [
      http(500, 'Get "http://127.0.0.1:9/v2/": dial tcp 127.0.0.1:9: connect: connection refused'),
      /^registry unreachable/,
    ],
    [
      { code: 'connection_refused' as const, message: 'connection refused (127.0.0.1:2375)' },
      /^Docker host unreachable \(connection refused/,
    ],
    [
      { code: 'timeout' as const, message: 'no answer to GET /distribution/x/json within 15 s' },
      /^no answer to GET \/distribution\/x\/json within 15 s$/,
    ],
  ])('explains %j', (error, reason) => {
    expect(explainRegistryError(error)).toMatch(reason);
  });
});
