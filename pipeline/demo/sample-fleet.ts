// The bundled demo homelab (~44 containers on two hosts plus one that is down). Each entry is
// what Docker would report; the real snapshot code turns them into orchestration metadata.

/** How the demo's scan of an image ended. */
export type DemoScan =
  { reports: string[] } | { failed: 'image_unavailable' | 'scan_timeout' } | 'not_scanned';

export interface DemoContainer {
  name: string;
  image: string;
  host: 'server' | 'nas';
  labels?: Record<string, string>;
  /** network_mode container:<name> */
  networkFrom?: string;
  state?: 'running' | 'exited';
  health?: 'healthy' | 'unhealthy';
  scan: DemoScan;
}

const arr = (service: string, extra: Record<string, string> = {}) => ({
  'com.docker.compose.project': 'arr',
  'com.docker.compose.service': service,
  ...extra,
});
const compose = (project: string, service: string, dependsOn?: string) => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
  ...(dependsOn && { 'com.docker.compose.depends_on': `${dependsOn}:service_started:false` }),
});
const r = (...reports: string[]): DemoScan => ({ reports });
const PRIVATE: DemoScan = { failed: 'image_unavailable' };

export const DEMO_FLEET: DemoContainer[] = [
  {
    name: 'gluetun',
    image: 'qmcgaw/gluetun:v3.39.1',
    host: 'server',
    labels: {
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'network',
      'dockpeek.stack': 'vpn',
    },
    health: 'healthy',
    scan: r('alpine-310'),
  },
  {
    name: 'qbittorrent',
    image: 'lscr.io/linuxserver/qbittorrent:5.0.3',
    host: 'server',
    networkFrom: 'gluetun',
    labels: { 'dockpeek.role': 'dependent', 'dockpeek.anchor': 'gluetun', 'dockpeek.stack': 'vpn' },
    scan: r('alpine-310', 'npm'),
  },
  {
    name: 'prowlarr',
    image: 'lscr.io/linuxserver/prowlarr:1.27.0',
    host: 'server',
    networkFrom: 'gluetun',
    labels: { 'dockpeek.stack': 'vpn' },
    scan: r('debian-buster'),
  },
  {
    name: 'sabnzbd',
    image: 'lscr.io/linuxserver/sabnzbd:4.4.0',
    host: 'server',
    networkFrom: 'gluetun',
    labels: { 'dockpeek.role': 'dependent', 'dockpeek.anchor': 'gluetun', 'dockpeek.stack': 'vpn' },
    scan: r('alpine-310'),
  },
  {
    name: 'flaresolverr',
    image: 'ghcr.io/flaresolverr/flaresolverr:v3.3.21',
    host: 'server',
    networkFrom: 'gluetun',
    labels: { 'dockpeek.stack': 'vpn' },
    scan: r('debian-buster', 'npm'),
  },
  {
    name: 'sonarr',
    image: 'lscr.io/linuxserver/sonarr:4.0.11',
    host: 'server',
    labels: arr('sonarr'),
    scan: r('alpine-310'),
  },
  {
    name: 'radarr',
    image: 'lscr.io/linuxserver/radarr:5.15.1',
    host: 'server',
    labels: arr('radarr'),
    scan: r('alpine-310'),
  },
  {
    name: 'lidarr',
    image: 'lscr.io/linuxserver/lidarr:2.8.2',
    host: 'server',
    labels: arr('lidarr'),
    scan: r('alpine-310'),
  },
  {
    name: 'readarr',
    image: 'lscr.io/linuxserver/readarr:0.4.4-develop',
    host: 'server',
    labels: arr('readarr'),
    scan: r('alpine-310', 'npm'),
  },
  {
    name: 'bazarr',
    image: 'lscr.io/linuxserver/bazarr:1.4.5',
    host: 'server',
    labels: arr('bazarr'),
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'overseerr',
    image: 'lscr.io/linuxserver/overseerr:1.33.2',
    host: 'server',
    labels: arr('overseerr', {
      'com.docker.compose.depends_on': 'sonarr:service_started:false,radarr:service_started:false',
    }),
    scan: r('npm'),
  },
  {
    name: 'jellyfin',
    image: 'jellyfin/jellyfin:10.10.3',
    host: 'server',
    labels: compose('media', 'jellyfin'),
    health: 'healthy',
    scan: r('debian-buster', 'centos-7'),
  },
  {
    name: 'tautulli',
    image: 'ghcr.io/tautulli/tautulli:v2.15.0',
    host: 'server',
    labels: compose('media', 'tautulli'),
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'jellyseerr',
    image: 'fallenbagel/jellyseerr:2.1.0',
    host: 'server',
    labels: compose('media', 'jellyseerr', 'jellyfin'),
    scan: r('npm'),
  },
  {
    name: 'traefik',
    image: 'traefik:v3.2.3',
    host: 'server',
    labels: {
      ...compose('proxy', 'traefik'),
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'service',
    },
    scan: r('alpine-39-skip'),
  },
  {
    name: 'authelia',
    image: 'authelia/authelia:4.38.17',
    host: 'server',
    labels: compose('proxy', 'authelia', 'traefik'),
    health: 'unhealthy',
    scan: r('distroless-base'),
  },
  {
    name: 'crowdsec',
    image: 'crowdsecurity/crowdsec:v1.6.4',
    host: 'server',
    labels: compose('proxy', 'crowdsec'),
    scan: r('alpine-310'),
  },
  {
    name: 'prometheus',
    image: 'prom/prometheus:v2.55.1',
    host: 'server',
    labels: compose('monitoring', 'prometheus'),
    scan: r('distroless-base'),
  },
  {
    name: 'grafana',
    image: 'grafana/grafana:11.4.0',
    host: 'server',
    labels: compose('monitoring', 'grafana', 'prometheus'),
    scan: r('alpine-310'),
  },
  {
    name: 'node-exporter',
    image: 'prom/node-exporter:v1.8.2',
    host: 'server',
    labels: compose('monitoring', 'node-exporter'),
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'cadvisor',
    image: 'gcr.io/cadvisor/cadvisor:v0.49.1',
    host: 'server',
    labels: compose('monitoring', 'cadvisor'),
    scan: r('alpine-310'),
  },
  {
    name: 'uptime-kuma',
    image: 'louislam/uptime-kuma:1.23.16',
    host: 'server',
    labels: compose('monitoring', 'uptime-kuma'),
    health: 'healthy',
    scan: r('debian-buster', 'npm'),
  },
  {
    name: 'homeassistant',
    image: 'ghcr.io/home-assistant/home-assistant:2024.12.5',
    host: 'server',
    labels: compose('home', 'homeassistant'),
    scan: r('alpine-310', 'npm'),
  },
  {
    name: 'mosquitto',
    image: 'eclipse-mosquitto:2.0.20',
    host: 'server',
    labels: {
      ...compose('home', 'mosquitto'),
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'service',
    },
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'zigbee2mqtt',
    image: 'koenkk/zigbee2mqtt:1.42.0',
    host: 'server',
    labels: {
      ...compose('home', 'zigbee2mqtt'),
      'dockpeek.role': 'dependent',
      'dockpeek.anchor': 'mosquitto',
    },
    scan: r('alpine-310'),
  },
  {
    name: 'esphome',
    image: 'ghcr.io/esphome/esphome:2024.12.2',
    host: 'server',
    labels: { ...compose('home', 'esphome'), 'dockpeek.role': 'controller' },
    scan: r('debian-buster'),
  },
  {
    name: 'dockpeek-security',
    image: 'registry.example.lan/homelab/dockpeek-security:1.0.0',
    host: 'server',
    labels: compose('tools', 'dockpeek'),
    scan: PRIVATE,
  },
  {
    name: 'backup-runner',
    image: 'registry.example.lan/homelab/backup:2.3',
    host: 'server',
    labels: compose('tools', 'backup'),
    state: 'exited',
    scan: PRIVATE,
  },
  {
    name: 'invoice-app',
    image: 'registry.example.lan/homelab/invoice:0.9',
    host: 'server',
    labels: compose('tools', 'invoice'),
    scan: PRIVATE,
  },
  {
    name: 'postgres',
    image: 'postgres:16.6',
    host: 'nas',
    labels: {
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'database',
      'dockpeek.stack': 'db',
    },
    health: 'healthy',
    scan: r('centos-7'),
  },
  {
    name: 'redis',
    image: 'redis:7.4.1',
    host: 'nas',
    labels: {
      'dockpeek.role': 'anchor',
      'dockpeek.anchor-type': 'service',
      'dockpeek.stack': 'db',
    },
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'nextcloud',
    image: 'nextcloud:30.0.4',
    host: 'nas',
    labels: {
      ...compose('cloud', 'nextcloud'),
      'dockpeek.role': 'dependent',
      'dockpeek.anchor': 'postgres',
    },
    health: 'healthy',
    scan: r('debian-buster', 'npm'),
  },
  {
    name: 'immich-server',
    image: 'ghcr.io/immich-app/immich-server:v1.123.0',
    host: 'nas',
    labels: { ...compose('immich', 'immich-server'), 'dockpeek.anchor': 'postgres' },
    scan: r('distroless-base', 'npm'),
  },
  {
    name: 'immich-machine-learning',
    image: 'ghcr.io/immich-app/immich-machine-learning:v1.123.0',
    host: 'nas',
    labels: compose('immich', 'immich-machine-learning', 'immich-server'),
    scan: r('debian-buster'),
  },
  {
    name: 'paperless-ngx',
    image: 'ghcr.io/paperless-ngx/paperless-ngx:2.13.5',
    host: 'nas',
    labels: {
      ...compose('paperless', 'webserver'),
      'dockpeek.role': 'dependent',
      'dockpeek.anchor': 'redis',
    },
    scan: r('debian-buster', 'centos-7'),
  },
  {
    name: 'syncthing',
    image: 'syncthing/syncthing:1.28.1',
    host: 'nas',
    labels: compose('files', 'syncthing'),
    scan: r('sl-micro-rancher5.4'),
  },
  {
    name: 'vaultwarden',
    image: 'vaultwarden/server:1.32.7',
    host: 'nas',
    labels: compose('files', 'vaultwarden'),
    health: 'healthy',
    scan: r('npm'),
  },
  {
    name: 'nginx-docs',
    image: 'nginx:1.27.3',
    host: 'nas',
    labels: compose('web', 'docs'),
    scan: r('debian-buster'),
  },
  {
    name: 'nginx-blog',
    image: 'nginx:1.27.3',
    host: 'nas',
    labels: compose('web', 'blog'),
    scan: r('debian-buster'),
  },
  {
    name: 'gitea',
    image: 'gitea/gitea:1.22.6',
    host: 'nas',
    labels: compose('dev', 'gitea'),
    scan: r('alpine-310'),
  },
  {
    name: 'drone-runner',
    image: 'drone/drone-runner-docker:1.8.3',
    host: 'nas',
    labels: compose('dev', 'runner', 'gitea'),
    scan: 'not_scanned',
  },
  {
    name: 'legacy-erp',
    image: 'registry.example.lan/legacy/erp:7',
    host: 'nas',
    labels: { 'dockpeek.security.skip': 'true', 'dockpeek.stack': 'legacy' },
    scan: 'not_scanned',
  },
  {
    name: 'minecraft',
    image: 'itzg/minecraft-server:java21',
    host: 'nas',
    labels: compose('games', 'mc'),
    scan: { failed: 'scan_timeout' },
  },
  {
    name: 'adguard',
    image: 'adguard/adguardhome:v0.107.55',
    host: 'nas',
    labels: compose('dns', 'adguard'),
    state: 'exited',
    scan: r('sl-micro-rancher5.4'),
  },
];
