import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Snapshot, Container } from '../../pipeline/snapshot/schema.ts';
import { emptyDb } from '../../pipeline/store/schema.ts';

/** How the trivy stand-in treats one image (see test/trivy-stand-in/README.md). */
export type Behaviour =
  /** `layers`: scanned layer by layer against a scan cache, a server's or trivy's own. */
  | { report: string; ms: number; layers?: string[] }
  | { fail: 'not_found' }
  | {
      output: 'garbage' | 'truncated' | 'wrong-shape' | 'huge';
      ms?: number;
      count?: number;
      size?: number;
      report?: string;
    }
  | { flood: number; ms?: number }
  | { hang: true };

export interface FleetImage {
  ref: string;
  behaviour: Behaviour;
  /** Containers per host that run it. */
  on: Partial<Record<'server' | 'nas', number>>;
  skip?: boolean;
}

/** A 45-container, 2-host fleet: public images with real reports, private ones, broken ones, one that hangs. */
export const FLEET: FleetImage[] = [
  {
    ref: 'qmcgaw/gluetun:v3.39.1',
    behaviour: { report: 'alpine-310', ms: 500 },
    on: { server: 1, nas: 1 },
  },
  {
    ref: 'lscr.io/linuxserver/sonarr:4.0.11',
    behaviour: { report: 'debian-buster', ms: 450 },
    on: { server: 2 },
  },
  {
    ref: 'lscr.io/linuxserver/radarr:5.15.1',
    behaviour: { report: 'centos-7', ms: 400 },
    on: { server: 2 },
  },
  {
    ref: 'lscr.io/linuxserver/prowlarr:1.27.0',
    behaviour: { report: 'distroless-base', ms: 400 },
    on: { server: 1 },
  },
  {
    ref: 'lscr.io/linuxserver/bazarr:1.4.5',
    behaviour: { report: 'npm', ms: 400 },
    on: { server: 1 },
  },
  {
    ref: 'lscr.io/linuxserver/qbittorrent:5.0.3',
    behaviour: { report: 'alpine-310', ms: 450 },
    on: { server: 2 },
  },
  { ref: 'postgres:16.6', behaviour: { report: 'centos-7', ms: 500 }, on: { server: 2, nas: 1 } },
  {
    ref: 'redis:7.4.1',
    behaviour: { report: 'sl-micro-rancher5.4', ms: 400 },
    on: { server: 2, nas: 1 },
  },
  { ref: 'nextcloud:30.0.4', behaviour: { report: 'debian-buster', ms: 600 }, on: { nas: 2 } },
  {
    ref: 'ghcr.io/immich-app/immich-server:v1.123.0',
    behaviour: { report: 'distroless-base', ms: 600 },
    on: { nas: 2 },
  },
  {
    ref: 'traefik:v3.2.3',
    behaviour: { report: 'alpine-39-skip', ms: 400 },
    on: { server: 1, nas: 1 },
  },
  { ref: 'vaultwarden/server:1.32.7', behaviour: { report: 'npm', ms: 400 }, on: { nas: 1 } },
  {
    ref: 'jellyfin/jellyfin:10.10.3',
    behaviour: { report: 'debian-buster', ms: 550 },
    on: { nas: 1 },
  },
  {
    ref: 'homeassistant/home-assistant:2024.12.5',
    behaviour: { report: 'centos-7', ms: 500 },
    on: { server: 1 },
  },
  {
    ref: 'grafana/grafana:11.4.0',
    behaviour: { report: 'sl-micro-rancher5.4', ms: 400 },
    on: { server: 1 },
  },
  {
    ref: 'prom/prometheus:v2.55.1',
    behaviour: { report: 'alpine-310', ms: 400 },
    on: { server: 1 },
  },
  {
    ref: 'nginx:1.27.3',
    behaviour: { report: 'debian-buster', ms: 400 },
    on: { server: 3, nas: 3 },
  },
  { ref: 'registry.example.com/team/app:1.0', behaviour: { fail: 'not_found' }, on: { server: 3 } },
  {
    ref: 'registry.example.com/team/worker:2.3',
    behaviour: { fail: 'not_found' },
    on: { server: 2 },
  },
  { ref: 'ghcr.io/example/private-tool:0.4', behaviour: { fail: 'not_found' }, on: { nas: 1 } },
  { ref: 'vendor/broken:1', behaviour: { output: 'garbage', ms: 100 }, on: { server: 1 } },
  { ref: 'vendor/half:1', behaviour: { output: 'truncated', ms: 100 }, on: { nas: 1 } },
  // Longer than the test's --timeout: trivy itself gives up with "context deadline exceeded".
  { ref: 'slow/scanner:1', behaviour: { report: 'debian-buster', ms: 60_000 }, on: { nas: 1 } },
  { ref: 'stuck/image:1', behaviour: { hang: true }, on: { server: 1 } },
  {
    ref: 'containrrr/watchtower:1.7.1',
    behaviour: { report: 'debian-buster', ms: 100 },
    on: { server: 1, nas: 1 },
    skip: true,
  },
];

/** Same image id for a reference on every host, as for a pulled image. */
export function imageIdOf(ref: string): string {
  let h = 0;
  for (const ch of ref) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `sha256:${h.toString(16).padStart(8, '0').repeat(8)}`;
}

/** The fleet as a stored snapshot. */
export function fleetSnapshot(
  hostUrls: Record<'server' | 'nas', string>,
  fleet: FleetImage[] = FLEET,
): Snapshot {
  const containers: Container[] = [];
  for (const image of fleet) {
    for (const [host, count] of Object.entries(image.on) as Array<['server' | 'nas', number]>) {
      for (let i = 1; i <= count; i++) {
        const name = `${image.ref.split('/').pop()!.split(':')[0]}-${i}`;
        containers.push({
          host,
          id: `${host}-${name}`.padEnd(64, '0'),
          name,
          image: image.ref,
          imageId: imageIdOf(image.ref),
          repoDigests: [],
          state: 'running',
          ports: [],
          networkMode: 'none',
          networks: [],
          compose: { dependsOn: [] },
          labels: image.skip ? { 'dockpeek.security.skip': 'true' } : {},
          stack: null,
          scanSkip: Boolean(image.skip),
          orchestration: {
            role: 'standalone',
            anchor: null,
            anchorType: null,
            dependents: [],
            stackOverride: null,
            hidden: false,
            inferred: false,
            warnings: [],
          },
        });
      }
    }
  }
  return {
    takenAt: new Date().toISOString(),
    hosts: (['server', 'nas'] as const).map((name) => ({
      name,
      url: hostUrls[name],
      ok: true,
      containerCount: 0,
      hiddenCount: 0,
      warnings: [],
      durationMs: 1,
    })),
    containers,
  };
}

/** Write db.json with the fleet snapshot, and the stand-in's config; returns the config path. */
export function writeFleet(
  dataDir: string,
  extra: Record<string, unknown> = {},
  fleet: FleetImage[] = FLEET,
): string {
  const db = {
    ...emptyDb(),
    snapshot: fleetSnapshot(
      { server: 'unix:///run/server.sock', nas: 'tcp://10.0.0.9:2375' },
      fleet,
    ),
  };
  writeFileSync(path.join(dataDir, 'db.json'), JSON.stringify(db));
  const config = path.join(dataDir, 'trivy-standin.json');
  writeFileSync(
    config,
    JSON.stringify({
      images: Object.fromEntries(fleet.map((i) => [i.ref, i.behaviour])),
      ...extra,
    }),
  );
  return config;
}
