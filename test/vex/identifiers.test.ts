import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../pipeline/vex/image-ref.ts';
import { imageMatches } from '../../pipeline/vex/match-image.ts';
import { parsePurl, purlMatches } from '../../pipeline/vex/purl.ts';
import { selectorFromImagePurl, selectorFromReference } from '../../pipeline/vex/selectors.ts';

const D = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  const cases: Array<[string, ReturnType<typeof parseImageRef>]> = [
    ['nginx', { repository: 'docker.io/library/nginx' }],
    ['nginx:1.27', { repository: 'docker.io/library/nginx', tag: '1.27' }],
    [
      'index.docker.io/library/nginx:latest',
      { repository: 'docker.io/library/nginx', tag: 'latest' },
    ],
    ['authelia/authelia@' + D, { repository: 'docker.io/authelia/authelia', digest: D }],
    ['localhost:5000/app:1.0', { repository: 'localhost:5000/app', tag: '1.0' }],
    ['ghcr.io/org/team/app:v2@' + D, { repository: 'ghcr.io/org/team/app', tag: 'v2', digest: D }],
    ['Nginx', null],
    ['nginx@sha256:short', null],
    ['<script>', null],
  ];
  it.each(cases)('%s', (text, expected) => expect(parseImageRef(text)).toEqual(expected));
});

describe('package URLs', () => {
  it('parses percent-encoding, npm scopes, qualifiers and subpaths', () => {
    expect(
      parsePurl('pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=arm64&distro=debian-12.11'),
    ).toEqual({
      type: 'deb',
      namespace: 'debian',
      name: 'libc6',
      version: '2.36-9+deb12u10',
      qualifiers: { arch: 'arm64', distro: 'debian-12.11' },
    });
    expect(parsePurl('pkg:npm/%40babel/core@7.0.0')).toMatchObject({
      namespace: '@babel',
      name: 'core',
      version: '7.0.0',
    });
    expect(parsePurl('pkg:npm/@babel/core')).toMatchObject({ namespace: '@babel', name: 'core' });
    expect(parsePurl('pkg:pypi/PyYAML_x@6.0')).toMatchObject({ name: 'pyyaml-x' });
    expect(parsePurl('pkg:golang/github.com/a/b@v1#sub/dir')).toMatchObject({
      namespace: 'github.com/a',
      name: 'b',
      subpath: 'sub/dir',
    });
    for (const bad of ['maven:x', 'pkg:', 'pkg:deb', 'pkg:deb/%E0%A4%A', 'https://example.invalid'])
      expect(parsePurl(bad), bad).toBeNull();
  });

  it('a pattern names its versions and qualifiers, nothing more', () => {
    const target = parsePurl(
      'pkg:maven/org.apache.tomcat.embed/tomcat-embed-core@10.1.16?type=jar',
    )!;
    const match = (p: string) => purlMatches(parsePurl(p)!, target);
    expect(match('pkg:maven/org.apache.tomcat.embed/tomcat-embed-core')).toBe(true);
    expect(match('pkg:MAVEN/org.apache.tomcat.embed/tomcat-embed-core@10.1.16')).toBe(true);
    expect(match('pkg:maven/org.apache.tomcat.embed/tomcat-embed-core?type=jar')).toBe(true);
    expect(match('pkg:maven/org.apache.tomcat.embed/tomcat-embed-core?type=war')).toBe(false);
    expect(match('pkg:maven/org.apache.tomcat/tomcat-embed-core')).toBe(false);
    expect(match('pkg:npm/tomcat-embed-core')).toBe(false);
  });
});

describe('image selectors', () => {
  const image = {
    reference: 'authelia/authelia:4.38.17',
    repoDigests: [`authelia/authelia@${D}`],
    imageId: `sha256:${'cd'.repeat(32)}`,
  };
  const cases: Array<[string, boolean]> = [
    ['pkg:oci/authelia@' + D.replace(':', '%3A'), true],
    ['pkg:oci/authelia@' + D + '?repository_url=index.docker.io/authelia/authelia', true],
    ['pkg:oci/authelia@' + D + '?repository_url=ghcr.io/authelia/authelia', false],
    ['pkg:oci/other@' + D, false],
    ['pkg:oci/authelia?repository_url=docker.io/authelia/authelia&tag=4.38.17', true],
    ['pkg:oci/authelia?repository_url=docker.io/authelia/authelia&tag=4.38.16', false],
    ['pkg:docker/authelia/authelia@4.38.17', true],
    ['pkg:docker/authelia/authelia@cdcdcdcdcdcd', true],
    ['pkg:docker/authelia/authelia@abababababab', false],
    ['pkg:docker/authelia/authelia@' + image.imageId, true],
  ];
  it.each(cases)('%s names the image: %s', (purl, expected) => {
    const selector = selectorFromImagePurl(purl);
    expect(selector).toBeTruthy();
    expect(imageMatches(selector!, image)).toBe(expected);
  });

  it('a package purl is not an image; references and digests as written in images:', () => {
    expect(selectorFromImagePurl('pkg:deb/debian/libc6')).toBeUndefined();
    expect(imageMatches(selectorFromReference('authelia/authelia')!, image)).toBe(true);
    expect(imageMatches(selectorFromReference('docker.io/authelia/authelia:4.38.17')!, image)).toBe(
      true,
    );
    expect(imageMatches(selectorFromReference('authelia/authelia:latest')!, image)).toBe(false);
    expect(imageMatches(selectorFromReference(image.imageId)!, image)).toBe(true);
    expect(imageMatches(selectorFromReference(D)!, image)).toBe(true);
    // A reference without a tag runs :latest, as docker reads it.
    expect(imageMatches(selectorFromReference('nginx:latest')!, { reference: 'nginx' })).toBe(true);
    expect(selectorFromReference('not an image')).toBeNull();
  });
});
