import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { waitFor } from './dockerd.ts';

/** Values that must never reach the data dir, the export or the site. */
export const SECRETS = {
  postgresPassword: 'pg-S3cret-Do-Not-Store-7d1f',
  vpnKey: 'wg-PrivKey-Never-Stored-91ab',
  adminToken: 'vw-AdminToken-Never-Stored-55c2',
  traefikHash: 'admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/',
};

export const HOSTILE = {
  stack: '<img src=x onerror=alert(1)>',
  anchor: '<script>alert(1)</script>',
};

export const IMAGES = {
  busybox: 'busybox:fixture',
  gluetun: 'qmcgaw/gluetun:v3.39.1',
  qbittorrent: 'lscr.io/linuxserver/qbittorrent:5.0.3',
  arr: 'lscr.io/linuxserver/sonarr:4.0.11',
  postgres: 'postgres:16.6',
  nextcloud: 'nextcloud:30.0.4',
  privateApp: 'registry.example.com/team/app:1.0',
};

const arr = (service: string, dependsOn?: string) => ({
  'com.docker.compose.project': 'arr',
  'com.docker.compose.service': service,
  ...(dependsOn && { 'com.docker.compose.depends_on': dependsOn }),
});

interface Spec {
  name: string;
  image: string;
  labels?: Record<string, string>;
  env?: string[];
  network?: string;
  cmd?: string[];
  start?: boolean;
  healthy?: boolean;
}

/** The homelab the snapshot tests read: every case issue #2 names, on a real daemon. */
export const HOMELAB: Spec[] = [
  {
    name: 'gluetun',
    image: IMAGES.gluetun,
    env: [`WIREGUARD_PRIVATE_KEY=${SECRETS.vpnKey}`],
    labels: {
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'network',
      'dockpeek.stack': 'vpn',
    },
  },
  {
    name: 'qbittorrent',
    image: IMAGES.qbittorrent,
    network: 'container:gluetun',
    labels: { 'dockpeek.role': 'dependent', 'dockpeek.anchor': 'gluetun', 'dockpeek.stack': 'vpn' },
  },
  { name: 'prowlarr', image: IMAGES.arr, network: 'container:gluetun', labels: arr('prowlarr') },
  { name: 'sonarr', image: IMAGES.arr, labels: arr('sonarr', 'prowlarr:service_started:false') },
  {
    name: 'radarr',
    image: IMAGES.arr,
    labels: {
      ...arr('radarr', 'sonarr:service_started:false'),
      'dockpeek.anchor': 'prowlarr',
      'dockpeek.anchor-type': 'service',
    },
  },
  {
    name: 'postgres',
    image: IMAGES.postgres,
    env: [`POSTGRES_PASSWORD=${SECRETS.postgresPassword}`],
    labels: {
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'database',
      'dockpeek.stack': 'db',
    },
  },
  {
    name: 'nextcloud',
    image: IMAGES.nextcloud,
    labels: {
      'dockpeek.role': 'dependent',
      'dockpeek.anchor': 'postgres',
      'traefik.http.middlewares.auth.basicauth.users': SECRETS.traefikHash,
    },
  },
  { name: 'immich', image: IMAGES.busybox, labels: { 'dockpeek.anchor': 'postgres' } },
  {
    name: 'watchtower',
    image: IMAGES.busybox,
    labels: { 'dockpeek.hide': 'true', 'dockpeek.anchor': 'gluetun' },
  },
  {
    name: 'vaultwarden',
    image: IMAGES.busybox,
    env: [`ADMIN_TOKEN=${SECRETS.adminToken}`],
    healthy: true,
    labels: { 'traefik.http.routers.vw.rule': 'Host(`vault.example.com`)' },
  },
  {
    name: 'hostile',
    image: IMAGES.busybox,
    labels: {
      'dockpeek.stack': HOSTILE.stack,
      'dockpeek.anchor': HOSTILE.anchor,
      'dockpeek.role': 'overlord',
    },
  },
  {
    name: 'oversized',
    image: IMAGES.busybox,
    labels: {
      'dockpeek.stack': 'x'.repeat(5000),
      'dockpeek.hide': 'maybe',
      'dockpeek.colour': 'red\u0007',
    },
  },
  { name: 'cycle-a', image: IMAGES.busybox, labels: { 'dockpeek.anchor': 'cycle-b' } },
  { name: 'cycle-b', image: IMAGES.busybox, labels: { 'dockpeek.anchor': 'cycle-a' } },
  { name: 'selfish', image: IMAGES.busybox, labels: { 'dockpeek.anchor': 'selfish' } },
  {
    name: 'orphan',
    image: IMAGES.busybox,
    labels: { 'dockpeek.role': 'dependent', 'dockpeek.anchor': 'ghost' },
  },
  {
    name: 'backup-job',
    image: IMAGES.privateApp,
    cmd: ['sh', '-c', 'exit 3'],
    labels: { 'com.docker.stack.namespace': 'maintenance' },
  },
  {
    name: 'fresh',
    image: IMAGES.privateApp,
    start: false,
    labels: { 'dockpeek.security.skip': 'true' },
  },
];

/** Build a busybox rootfs tar (busybox-static) for `docker import`. */
export function busyboxTar(dir: string, tag: string): string {
  const root = path.join(dir, `rootfs-${tag}`);
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
  for (const applet of ['sh', 'sleep', 'true'])
    symlinkSync('busybox', path.join(root, 'bin', applet));
  // A distinct file per tar gives a distinct image id per import.
  execFileSync('sh', ['-c', `echo ${tag} > ${path.join(root, 'release')}`]);
  const tar = path.join(dir, `${tag}.tar`);
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return tar;
}

export async function importImage(docker: Docker, tar: string, ref: string): Promise<void> {
  const [repo, tag] = splitRef(ref);
  const stream = await docker.importImage(tar, { repo, tag });
  await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (e) => (e ? reject(e) : resolve(null))),
  );
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return [ref.slice(0, at), ref.slice(at + 1)];
}

/** Import the images and create the homelab's containers. */
export async function createHomelab(docker: Docker, workDir: string): Promise<void> {
  // One import per reference: distinct image ids, as distinct images have in real life.
  for (const [name, ref] of Object.entries(IMAGES)) {
    await importImage(docker, busyboxTar(workDir, name), ref);
  }
  for (const spec of HOMELAB) {
    const container = await docker.createContainer({
      name: spec.name,
      Image: spec.image,
      Cmd: spec.cmd ?? ['sleep', '3600'],
      Env: spec.env ?? [],
      Labels: spec.labels ?? {},
      ...(spec.healthy && {
        Healthcheck: { Test: ['CMD', 'true'], Interval: 500_000_000, StartPeriod: 0 },
      }),
      HostConfig: { NetworkMode: spec.network ?? 'none', Init: true },
    });
    if (spec.start !== false) await container.start();
  }
  await waitFor(
    async () =>
      (await docker.getContainer('vaultwarden').inspect()).State.Health?.Status === 'healthy',
    60_000,
    'vaultwarden never became healthy',
  );
  await waitFor(
    async () => (await docker.getContainer('backup-job').inspect()).State.Status === 'exited',
    30_000,
    'backup-job never exited',
  );
}
