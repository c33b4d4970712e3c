import { z } from 'zod';
import { createError } from '../errors.ts';
import { SOURCE_ERRORS } from '../errors/source-errors.ts';

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
    if (!url) throw createError(SOURCE_ERRORS.hostUrlMissing, { n });
    const host = {
      name: env[`DOCKER_HOST_${n}_NAME`] || `host${n}`,
      url,
      certPath: env[`DOCKER_HOST_${n}_CERT_PATH`] || env.DOCKER_CERT_PATH || undefined,
    };
    hosts.push(checkHost(host, { url: `DOCKER_HOST_${n}_URL`, name: `DOCKER_HOST_${n}_NAME` }));
  }
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.name)) throw createError(SOURCE_ERRORS.hostNameTaken, { name: host.name });
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
  } catch (error) {
    throw createError(SOURCE_ERRORS.hostUrlInvalid, { variable, url: host.url }, { cause: error });
  }
  if (!SCHEMES.includes(parsed.protocol))
    throw createError(SOURCE_ERRORS.hostSchemeUnsupported, { variable, scheme: parsed.protocol });
  if (parsed.protocol === 'unix:' ? !parsed.pathname : !parsed.hostname)
    throw createError(SOURCE_ERRORS.hostUrlIncomplete, { variable, url: host.url });
  if (!NAME_PATTERN.test(host.name))
    throw createError(SOURCE_ERRORS.hostNameInvalid, { variable: nameVariable, name: host.name });
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
