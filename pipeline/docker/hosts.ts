import { z } from 'zod';
import { DockpeekError } from '../errors.ts';

/** One Docker host the snapshot reads, as configured. */
export const HostConfigSchema = z.object({
  /** Display name, unique across hosts (DOCKER_HOST_NAME / DOCKER_HOST_<N>_NAME). */
  name: z.string().min(1),
  /** unix://, tcp://, https:// or ssh:// URL of the Docker API. */
  url: z.string(),
  /** Folder with ca.pem, cert.pem and key.pem for TLS hosts. */
  certPath: z.string().optional(),
});
export type HostConfig = z.infer<typeof HostConfigSchema>;

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
const SCHEMES = ['unix:', 'tcp:', 'http:', 'https:', 'ssh:'];
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** Read the host list from DOCKER_HOST plus DOCKER_HOST_<N>_URL / _NAME, in N order. */
export function readHostConfigs(env: NodeJS.ProcessEnv): HostConfig[] {
  const hosts: HostConfig[] = [
    checkHost(
      {
        name: env.DOCKER_HOST_NAME || 'local',
        url: env.DOCKER_HOST || DEFAULT_DOCKER_HOST,
        certPath: env.DOCKER_CERT_PATH || undefined,
      },
      { url: 'DOCKER_HOST', name: 'DOCKER_HOST_NAME' },
    ),
  ];
  const indexes = new Set<number>();
  for (const key of Object.keys(env)) {
    const match = /^DOCKER_HOST_(\d+)_(URL|NAME|CERT_PATH)$/.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  for (const n of [...indexes].sort((a, b) => a - b)) {
    const url = env[`DOCKER_HOST_${n}_URL`];
    if (!url) {
      throw new DockpeekError(
        'config_invalid',
        `DOCKER_HOST_${n}_NAME or _CERT_PATH is set but DOCKER_HOST_${n}_URL is not`,
        `Set DOCKER_HOST_${n}_URL (e.g. tcp://10.0.0.5:2375) or remove the other DOCKER_HOST_${n}_* variables.`,
      );
    }
    const host = {
      name: env[`DOCKER_HOST_${n}_NAME`] || `host${n}`,
      url,
      certPath: env[`DOCKER_HOST_${n}_CERT_PATH`] || env.DOCKER_CERT_PATH || undefined,
    };
    hosts.push(checkHost(host, { url: `DOCKER_HOST_${n}_URL`, name: `DOCKER_HOST_${n}_NAME` }));
  }
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.name)) {
      throw new DockpeekError(
        'config_invalid',
        `two Docker hosts are both named "${host.name}"`,
        'Give each host a distinct DOCKER_HOST_NAME / DOCKER_HOST_<N>_NAME.',
      );
    }
    seen.add(host.name);
  }
  return hosts;
}

/** Reject a URL or name the Docker client could not use, naming the variable. */
function checkHost(
  host: HostConfig,
  { url: variable, name: nameVariable }: { url: string; name: string },
): HostConfig {
  let parsed: URL;
  try {
    parsed = new URL(host.url);
  } catch {
    throw new DockpeekError(
      'config_invalid',
      `${variable}=${JSON.stringify(host.url)} is not a URL`,
      'Use unix:///var/run/docker.sock, tcp://HOST:2375, https://HOST:2376 or ssh://USER@HOST.',
    );
  }
  if (!SCHEMES.includes(parsed.protocol)) {
    throw new DockpeekError(
      'config_invalid',
      `${variable} uses the unsupported scheme "${parsed.protocol}"`,
      'Supported: unix://, tcp://, https:// (with DOCKER_CERT_PATH) and ssh://.',
    );
  }
  if (parsed.protocol === 'unix:' ? !parsed.pathname : !parsed.hostname) {
    throw new DockpeekError(
      'config_invalid',
      `${variable}=${JSON.stringify(host.url)} has no socket path or host name`,
    );
  }
  if (!NAME_PATTERN.test(host.name)) {
    throw new DockpeekError(
      'config_invalid',
      `${nameVariable}=${JSON.stringify(host.name)} is not an allowed host name`,
      'Use 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    );
  }
  return host;
}

/** The URL as it may be shown and stored: any password removed. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
