// The bundled demo homelab (44 containers on two hosts plus one that is down). Each entry is
// what Docker would report; the real snapshot code turns them into orchestration metadata. The
// reports named are real Trivy output of real images (demo/trivy-reports/README.md).

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

// One container per line: a data table, kept compact on purpose.
// prettier-ignore
export const DEMO_FLEET: DemoContainer[] = [
  {"name":"gluetun","image":"qmcgaw/gluetun:v3.39.1","host":"server","labels":{"dockpeek.role":"anchor","dockpeek.anchor-type":"network","dockpeek.stack":"vpn"},"health":"healthy","scan":{"reports":["weather-go-alpine"]}},
  {"name":"qbittorrent","image":"lscr.io/linuxserver/qbittorrent:5.0.3","host":"server","networkFrom":"gluetun","labels":{"dockpeek.role":"dependent","dockpeek.anchor":"gluetun","dockpeek.stack":"vpn"},"scan":{"reports":["tkpancamanunggal-nuxt"]}},
  {"name":"prowlarr","image":"lscr.io/linuxserver/prowlarr:1.27.0","host":"server","networkFrom":"gluetun","labels":{"dockpeek.stack":"vpn"},"scan":{"reports":["cilab-lifelong-api"]}},
  {"name":"sabnzbd","image":"lscr.io/linuxserver/sabnzbd:4.4.0","host":"server","networkFrom":"gluetun","labels":{"dockpeek.role":"dependent","dockpeek.anchor":"gluetun","dockpeek.stack":"vpn"},"scan":{"reports":["todo-api-flask"]}},
  {"name":"flaresolverr","image":"ghcr.io/flaresolverr/flaresolverr:v3.3.21","host":"server","networkFrom":"gluetun","labels":{"dockpeek.stack":"vpn"},"scan":{"reports":["juice-shop"]}},
  {"name":"sonarr","image":"lscr.io/linuxserver/sonarr:4.0.11","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"sonarr"},"scan":{"reports":["cilab-lifelong-api"]}},
  {"name":"radarr","image":"lscr.io/linuxserver/radarr:5.15.1","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"radarr"},"scan":{"reports":["cilab-lifelong-api"]}},
  {"name":"lidarr","image":"lscr.io/linuxserver/lidarr:2.8.2","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"lidarr"},"scan":{"reports":["sl-micro-rancher5.4"]}},
  {"name":"readarr","image":"lscr.io/linuxserver/readarr:0.4.4-develop","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"readarr"},"scan":{"reports":["cilab-lifelong-api"]}},
  {"name":"bazarr","image":"lscr.io/linuxserver/bazarr:1.4.5","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"bazarr"},"scan":{"reports":["devsecops-multilang-ubuntu-20.04"]}},
  {"name":"overseerr","image":"lscr.io/linuxserver/overseerr:1.33.2","host":"server","labels":{"com.docker.compose.project":"arr","com.docker.compose.service":"overseerr","com.docker.compose.depends_on":"sonarr:service_started:false,radarr:service_started:false"},"scan":{"reports":["juice-shop"]}},
  {"name":"jellyfin","image":"jellyfin/jellyfin:10.10.3","host":"server","labels":{"com.docker.compose.project":"media","com.docker.compose.service":"jellyfin"},"health":"healthy","scan":{"reports":["nginx-1.16"]}},
  {"name":"tautulli","image":"ghcr.io/tautulli/tautulli:v2.15.0","host":"server","labels":{"com.docker.compose.project":"media","com.docker.compose.service":"tautulli"},"scan":{"reports":["sl-micro-rancher5.4"]}},
  {"name":"jellyseerr","image":"fallenbagel/jellyseerr:2.1.0","host":"server","labels":{"com.docker.compose.project":"media","com.docker.compose.service":"jellyseerr","com.docker.compose.depends_on":"jellyfin:service_started:false"},"scan":{"reports":["juice-shop"]}},
  {"name":"traefik","image":"traefik:v3.2.3","host":"server","labels":{"com.docker.compose.project":"proxy","com.docker.compose.service":"traefik","dockpeek.role":"anchor","dockpeek.anchor-type":"service"},"scan":{"reports":["alpine-39-skip"]}},
  {"name":"authelia","image":"authelia/authelia:4.38.17","host":"server","labels":{"com.docker.compose.project":"proxy","com.docker.compose.service":"authelia","com.docker.compose.depends_on":"traefik:service_started:false"},"health":"unhealthy","scan":{"reports":["distroless-base"]}},
  {"name":"crowdsec","image":"crowdsecurity/crowdsec:v1.6.4","host":"server","labels":{"com.docker.compose.project":"proxy","com.docker.compose.service":"crowdsec"},"scan":{"reports":["weather-go-alpine"]}},
  {"name":"prometheus","image":"prom/prometheus:v2.55.1","host":"server","labels":{"com.docker.compose.project":"monitoring","com.docker.compose.service":"prometheus"},"scan":{"reports":["prometheus-mcp-server"]}},
  {"name":"grafana","image":"grafana/grafana:11.4.0","host":"server","labels":{"com.docker.compose.project":"monitoring","com.docker.compose.service":"grafana","com.docker.compose.depends_on":"prometheus:service_started:false"},"scan":{"reports":["weather-go-alpine"]}},
  {"name":"node-exporter","image":"prom/node-exporter:v1.8.2","host":"server","labels":{"com.docker.compose.project":"monitoring","com.docker.compose.service":"node-exporter"},"scan":{"reports":["sl-micro-rancher5.4"]}},
  {"name":"cadvisor","image":"gcr.io/cadvisor/cadvisor:v0.49.1","host":"server","labels":{"com.docker.compose.project":"monitoring","com.docker.compose.service":"cadvisor"},"scan":{"reports":["weather-go-alpine"]}},
  {"name":"uptime-kuma","image":"louislam/uptime-kuma:1.23.16","host":"server","labels":{"com.docker.compose.project":"monitoring","com.docker.compose.service":"uptime-kuma"},"health":"healthy","scan":{"reports":["juice-shop"]}},
  {"name":"homeassistant","image":"ghcr.io/home-assistant/home-assistant:2024.12.5","host":"server","labels":{"com.docker.compose.project":"home","com.docker.compose.service":"homeassistant"},"scan":{"reports":["todo-api-flask"]}},
  {"name":"mosquitto","image":"eclipse-mosquitto:2.0.20","host":"server","labels":{"com.docker.compose.project":"home","com.docker.compose.service":"mosquitto","dockpeek.role":"anchor","dockpeek.anchor-type":"service"},"scan":{"reports":["sl-micro-rancher5.4"]}},
  {"name":"zigbee2mqtt","image":"koenkk/zigbee2mqtt:1.42.0","host":"server","labels":{"com.docker.compose.project":"home","com.docker.compose.service":"zigbee2mqtt","dockpeek.role":"dependent","dockpeek.anchor":"mosquitto"},"scan":{"reports":["tkpancamanunggal-nuxt"]}},
  {"name":"esphome","image":"ghcr.io/esphome/esphome:2024.12.2","host":"server","labels":{"com.docker.compose.project":"home","com.docker.compose.service":"esphome","dockpeek.role":"controller"},"scan":{"reports":["devsecops-multilang-ubuntu-20.04"]}},
  {"name":"dockpeek-security","image":"registry.example.lan/homelab/dockpeek-security:1.0.0","host":"server","labels":{"com.docker.compose.project":"tools","com.docker.compose.service":"dockpeek"},"scan":{"failed":"image_unavailable"}},
  {"name":"backup-runner","image":"registry.example.lan/homelab/backup:2.3","host":"server","labels":{"com.docker.compose.project":"tools","com.docker.compose.service":"backup"},"state":"exited","scan":{"reports":["ubi7-ubi-7.6"]}},
  {"name":"invoice-app","image":"registry.example.lan/homelab/invoice:0.9","host":"server","labels":{"com.docker.compose.project":"tools","com.docker.compose.service":"invoice"},"scan":{"failed":"image_unavailable"}},
  {"name":"postgres","image":"postgres:16.6","host":"nas","labels":{"dockpeek.role":"anchor","dockpeek.anchor-type":"database","dockpeek.stack":"db"},"health":"healthy","scan":{"reports":["prometheus-mcp-server"]}},
  {"name":"redis","image":"redis:7.4.1","host":"nas","labels":{"dockpeek.role":"anchor","dockpeek.anchor-type":"service","dockpeek.stack":"db"},"scan":{"reports":["sl-micro-rancher5.4"]}},
  {"name":"nextcloud","image":"nextcloud:30.0.4","host":"nas","labels":{"com.docker.compose.project":"cloud","com.docker.compose.service":"nextcloud","dockpeek.role":"dependent","dockpeek.anchor":"postgres"},"health":"healthy","scan":{"reports":["nginx-latest"]}},
  {"name":"immich-server","image":"ghcr.io/immich-app/immich-server:v1.123.0","host":"nas","labels":{"com.docker.compose.project":"immich","com.docker.compose.service":"immich-server","dockpeek.anchor":"postgres"},"scan":{"reports":["tkpancamanunggal-nuxt"]}},
  {"name":"immich-machine-learning","image":"ghcr.io/immich-app/immich-machine-learning:v1.123.0","host":"nas","labels":{"com.docker.compose.project":"immich","com.docker.compose.service":"immich-machine-learning","com.docker.compose.depends_on":"immich-server:service_started:false"},"scan":{"failed":"scan_timeout"}},
  {"name":"paperless-ngx","image":"ghcr.io/paperless-ngx/paperless-ngx:2.13.5","host":"nas","labels":{"com.docker.compose.project":"paperless","com.docker.compose.service":"webserver","dockpeek.role":"dependent","dockpeek.anchor":"redis"},"scan":{"reports":["todo-api-flask"]}},
  {"name":"syncthing","image":"syncthing/syncthing:1.28.1","host":"nas","labels":{"com.docker.compose.project":"files","com.docker.compose.service":"syncthing"},"scan":{"reports":["weather-go-alpine"]}},
  {"name":"vaultwarden","image":"vaultwarden/server:1.32.7","host":"nas","labels":{"com.docker.compose.project":"files","com.docker.compose.service":"vaultwarden"},"health":"healthy","scan":{"reports":["prometheus-mcp-server"]}},
  {"name":"nginx-docs","image":"nginx:1.27.3","host":"nas","labels":{"com.docker.compose.project":"web","com.docker.compose.service":"docs"},"scan":{"reports":["nginx-latest"]}},
  {"name":"nginx-blog","image":"nginx:1.27.3","host":"nas","labels":{"com.docker.compose.project":"web","com.docker.compose.service":"blog"},"scan":{"reports":["nginx-latest"]}},
  {"name":"gitea","image":"gitea/gitea:1.22.6","host":"nas","labels":{"com.docker.compose.project":"dev","com.docker.compose.service":"gitea"},"scan":{"reports":["weather-go-alpine"]}},
  {"name":"drone-runner","image":"drone/drone-runner-docker:1.8.3","host":"nas","labels":{"com.docker.compose.project":"dev","com.docker.compose.service":"runner","com.docker.compose.depends_on":"gitea:service_started:false"},"scan":"not_scanned"},
  {"name":"legacy-erp","image":"registry.example.lan/legacy/erp:7","host":"nas","labels":{"dockpeek.security.skip":"true","dockpeek.stack":"legacy"},"scan":"not_scanned"},
  {"name":"minecraft","image":"itzg/minecraft-server:java21","host":"nas","labels":{"com.docker.compose.project":"games","com.docker.compose.service":"mc"},"scan":{"reports":["consumesafe-amazonlinux2"]}},
  {"name":"adguard","image":"adguard/adguardhome:v0.107.55","host":"nas","labels":{"com.docker.compose.project":"dns","com.docker.compose.service":"adguard"},"state":"exited","scan":{"reports":["sl-micro-rancher5.4"]}},
];

/** Containers labelled dockpeek.hide=true on the first host: left out of the snapshot, counted. */
// prettier-ignore
export const DEMO_HIDDEN: DemoContainer[] = [
  {"name":"watchtower","image":"containrrr/watchtower:1.7.1","host":"server","labels":{"dockpeek.hide":"true"},"scan":"not_scanned"},
  {"name":"dozzle","image":"amir20/dozzle:v8.8.2","host":"server","labels":{"dockpeek.hide":"true","com.docker.compose.project":"tools"},"scan":"not_scanned"},
];
