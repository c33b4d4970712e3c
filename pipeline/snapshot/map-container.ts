import type { ApiContainer, ApiInspect } from '../docker/api-schema.ts';
import { escapeUnsafe } from '../safe-text.ts';
import { readDockpeekLabels, sanitise, type DockpeekLabels } from './labels.ts';
import type { Container } from './schema.ts';

/** A container mapped from the API, before links between containers are resolved. */
export interface MappedContainer {
  container: Omit<Container, 'orchestration'>;
  labels: DockpeekLabels;
  /** Target of network_mode container:<id|name>, as written. */
  networkTarget?: string;
}

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';
const COMPOSE_DEPENDS_ON = 'com.docker.compose.depends_on';
const SWARM_NAMESPACE = 'com.docker.stack.namespace';
const OCI_SOURCE = 'org.opencontainers.image.source';

/** Map one API list entry to the stored allow-list of fields. */
export function mapContainer(
  host: string,
  api: ApiContainer,
  digests: Map<string, string[]>,
  inspected: ApiInspect | undefined,
): MappedContainer {
  const all = api.Labels ?? {};
  const labels = readDockpeekLabels(all);
  // Names and these labels are shown too: they get the dockpeek.* checks and warnings.
  const text = (key: string, max?: number) => readText(all[key], key, labels.warnings, max);
  const plain = (value: string, what: string) => sanitise(value, what, labels.warnings);
  const identity = (value: string, what: string) => showIdentity(value, what, labels.warnings);
  const name = plain(primaryName(api), 'container name') || api.Id.slice(0, 12);
  const networkMode = plain(api.HostConfig?.NetworkMode ?? 'default', 'network mode');
  const { health, exitCode } = readStatus(api);
  const project = text(COMPOSE_PROJECT);
  const service = text(COMPOSE_SERVICE);
  const ociSource = text(OCI_SOURCE, 500);
  const container: MappedContainer['container'] = {
    host,
    id: api.Id,
    name,
    image: identity(api.Image, 'image reference'),
    imageId: identity(api.ImageID, 'image id'),
    repoDigests: (digests.get(api.ImageID) ?? []).map((d) => identity(d, 'repo digest')),
    state: plain(api.State, 'state'),
    ...(health && { health: plain(health, 'health') }),
    ...(exitCode !== undefined && { exitCode }),
    ...(api.Created !== undefined && { createdAt: new Date(api.Created * 1000).toISOString() }),
    ...(inspected?.State?.StartedAt &&
      isRealTime(inspected.State.StartedAt) && {
        startedAt: plain(inspected.State.StartedAt, 'start time'),
      }),
    ...(inspected?.RestartCount !== undefined && { restartCount: inspected.RestartCount }),
    ports: readPorts(api).map((p) => ({
      ...p,
      ...(p.ip && { ip: plain(p.ip, 'port address') }),
      type: plain(p.type, 'port type'),
    })),
    networkMode,
    networks: Object.keys(api.NetworkSettings?.Networks ?? {})
      .map((n) => plain(n, 'network name'))
      .sort(),
    compose: {
      ...(project && { project }),
      ...(service && { service }),
      dependsOn: parseDependsOn(all[COMPOSE_DEPENDS_ON]),
    },
    ...(ociSource && { ociSource }),
    labels: labels.stored,
    stack: labels.stack ?? project ?? text(SWARM_NAMESPACE) ?? null,
    scanSkip: labels.skip,
  };
  const networkTarget = networkMode.startsWith('container:')
    ? networkMode.slice('container:'.length)
    : undefined;
  return { container, labels, ...(networkTarget && { networkTarget }) };
}

/** The container's own name: the one entry without a link alias path, minus the leading "/". */
function primaryName(api: ApiContainer): string {
  const names = api.Names.map((n) => n.replace(/^\//, ''));
  return names.find((n) => !n.includes('/')) ?? names[0] ?? api.Id.slice(0, 12);
}

/** Health and exit code from the list call: newer APIs carry Health, all carry Status text. */
export function readStatus(api: Pick<ApiContainer, 'Status' | 'Health' | 'State'>): {
  health?: string;
  exitCode?: number;
} {
  const result: { health?: string; exitCode?: number } = {};
  const health =
    api.Health?.Status || /\((healthy|unhealthy|health: starting)\)/.exec(api.Status)?.[1];
  if (health && health !== 'none')
    result.health = health === 'health: starting' ? 'starting' : health;
  const exit = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(api.Status);
  if (exit) result.exitCode = Number(exit[1]);
  return result;
}

/** Published ports, without the duplicate IPv4/IPv6 entries Docker lists. */
function readPorts(api: ApiContainer): Container['ports'] {
  const seen = new Set<string>();
  const ports: Container['ports'] = [];
  for (const p of api.Ports ?? []) {
    const key = `${p.PrivatePort}/${p.Type}->${p.PublicPort ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ports.push({
      ...(p.IP && { ip: p.IP }),
      privatePort: p.PrivatePort,
      ...(p.PublicPort !== undefined && { publicPort: p.PublicPort }),
      type: p.Type,
    });
  }
  return ports.sort((a, b) => a.privatePort - b.privatePort || a.type.localeCompare(b.type));
}

/** compose writes "db:service_started:false,redis:service_healthy:true"; keep the service names. */
export function parseDependsOn(value: string | undefined): string[] {
  if (!value) return [];
  const names = value
    .split(',')
    .map((part) => part.split(':')[0]!.trim())
    .filter((name) => /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name));
  return [...new Set(names)].slice(0, 32);
}

/**
 * An image reference, id or digest with its control and invisible characters escaped, not
 * removed: the scan and update checks still refuse it, and a page shows what was there.
 */
function showIdentity(value: string, what: string, warnings: string[]): string {
  const shown = escapeUnsafe(value);
  if (shown !== value)
    warnings.push(`${what} contained control or invisible characters; they are shown escaped`);
  return shown;
}

/** A label's value, trimmed and sanitised; undefined when nothing is left. */
function readText(
  value: string | undefined,
  what: string,
  warnings: string[],
  max?: number,
): string | undefined {
  const trimmed = value?.trim();
  return (trimmed && sanitise(trimmed, what, warnings, max).trim()) || undefined;
}

/** Docker reports "0001-01-01T00:00:00Z" for a container that never started. */
function isRealTime(value: string): boolean {
  return !value.startsWith('0001-');
}
