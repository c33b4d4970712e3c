// The files of each test image: busybox (so a container can run) plus what Trivy reads to find
// packages: the OS release and package database, node_modules/*/package.json, jars with their
// pom.properties. Every package is one the case's report names, at the version it names.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Carried, Package } from './carried.ts';
import { zip } from './zip.ts';

function put(root: string, file: string, data: string | Buffer): void {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, data);
}

function busybox(root: string): void {
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
  for (const applet of ['sh', 'sleep', 'true'])
    symlinkSync('busybox', path.join(root, 'bin', applet));
}

function alpine(root: string, version: string, packages: Package[]): void {
  put(root, 'etc/alpine-release', `${version}\n`);
  put(root, 'etc/os-release', `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=${version}\n`);
  // P (name), V (version), then o (origin: the package Alpine's advisories name).
  const stanzas = packages.map((p) => `P:${p.name}\nV:${p.version}\nA:x86_64\no:${p.name}\n`);
  put(root, 'lib/apk/db/installed', `${stanzas.join('\n')}\n`);
}

function debian(root: string, version: string, packages: Package[]): void {
  put(root, 'etc/debian_version', `${version}\n`);
  const major = version.split('.')[0];
  put(root, 'etc/os-release', `NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="${major}"\n`);
  const stanzas = packages.map(
    (p) =>
      `Package: ${p.name}\n${source(p)}Status: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: ${p.version}\nDescription: ${p.name}\n`,
  );
  put(root, 'var/lib/dpkg/status', `${stanzas.join('\n')}\n`);
}

/**
 * A binary whose version has an epoch its source's lacks (bsdutils 1:2.33.1-0.1 of util-linux
 * 2.33.1-0.1): Trivy compares the source version with Debian's fixed versions.
 */
function source(p: Package): string {
  const epochless = /^\d+:(.*)$/.exec(p.version)?.[1];
  return epochless && p.sourceVersion === epochless ? `Source: ${p.name} (${epochless})\n` : '';
}

/** Each npm package's own package.json where the report found it, and the app's lock file. */
function npm(root: string, packages: Package[]): void {
  const apps = new Map<string, Record<string, { version: string }>>();
  for (const p of packages) {
    put(root, p.path!, `${JSON.stringify({ name: p.name, version: p.version }, null, 2)}\n`);
    const [app = '', ...rest] = p.path!.split('/');
    const entries = apps.get(app) ?? {};
    entries[path.dirname(rest.join('/'))] = { version: p.version };
    apps.set(app, entries);
  }
  for (const [app, entries] of apps) {
    put(root, `${app}/package.json`, `${JSON.stringify({ name: app, version: '1.0.0' })}\n`);
    const lock = {
      name: app,
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': {}, ...entries },
    };
    put(root, `${app}/package-lock.json`, `${JSON.stringify(lock, null, 2)}\n`);
  }
}

/** Spring Boot's layout: one jar holding each dependency's jar, each with its pom.properties. */
function jars(root: string, packages: Package[]): void {
  const outer = new Map<string, Array<{ name: string; data: Buffer }>>();
  for (const p of packages) {
    const [outerPath, inner] = p.path!.split(/(?<=\.jar)\//);
    const [group, artifact] = p.name.split(':');
    const pom = `groupId=${group}\nartifactId=${artifact}\nversion=${p.version}\n`;
    const jar = zip([
      { name: 'META-INF/MANIFEST.MF', data: Buffer.from('Manifest-Version: 1.0\r\n\r\n') },
      { name: `META-INF/maven/${group}/${artifact}/pom.properties`, data: Buffer.from(pom) },
    ]);
    const list = outer.get(outerPath!) ?? [];
    list.push({ name: inner!, data: jar });
    outer.set(outerPath!, list);
  }
  for (const [file, entries] of outer) {
    const manifest =
      'Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\r\n\r\n';
    put(
      root,
      file,
      zip([{ name: 'META-INF/MANIFEST.MF', data: Buffer.from(manifest) }, ...entries]),
    );
  }
}

/**
 * A tar of the image's root filesystem, for `docker import`. `payload`: folders of this machine
 * copied in as they are (files with no advisories in the test DB), for an image of a real size.
 */
export function buildRootfs(dir: string, carried: Carried, payload: string[] = []): string {
  const root = path.join(dir, `rootfs-${carried.image.name}`);
  busybox(root);
  // A file of its own: two cases built from one report are still two images.
  put(root, 'etc/hostname', `${carried.image.name}\n`);
  const { os } = carried.image;
  const of = (type: string) => carried.packages.filter((p) => p.type === type);
  if (os?.family === 'alpine') alpine(root, os.version, of('alpine'));
  if (os?.family === 'debian') debian(root, os.version, of('debian'));
  npm(root, of('node-pkg'));
  jars(root, of('jar'));
  for (const folder of payload) {
    const into = path.join(root, path.dirname(folder));
    mkdirSync(into, { recursive: true });
    execFileSync('cp', ['-a', folder, into]);
  }
  const tar = path.join(dir, `${carried.image.name}.tar`);
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return tar;
}
