import { formatDuration } from '../config/duration.ts';
import type { HostConfig } from '../docker/hosts.ts';
import { SEVERITIES } from '../vocabulary.ts';
import type { ImageJob } from './plan.ts';
import { SCAN_ONLY_VARIABLES } from './trivy-env.ts';
import type { ScanRecord } from './schema.ts';

/**
 * The child's environment: the run's trivy environment (trivy-env.ts: no TRIVY_SERVER, no token,
 * only the passed TRIVY_* variables), with DOCKER_HOST (and TLS material) of the host that runs the
 * image. The configured host wins; the URL the snapshot recorded is the fallback. The server
 * token goes here, as TRIVY_TOKEN, only in server mode: argv is readable by every local user.
 */
export function scanEnv(
  env: Record<string, string>,
  hosts: HostConfig[],
  job: Pick<ImageJob, 'host' | 'hostUrl'>,
  token?: string,
  /** A local socket per ssh:// host (docker-hosts.ts): trivy cannot reach those itself. */
  localHosts: ReadonlyMap<string, string> = new Map(),
): Record<string, string> {
  const result: Record<string, string> = { ...env, ...SCAN_ONLY_VARIABLES };
  for (const key of Object.keys(result))
    if (/^DOCKER_(HOST|CERT_PATH|TLS_VERIFY)/.test(key)) delete result[key];
  if (token) result.TRIVY_TOKEN = token;
  const local = localHosts.get(job.host);
  if (local) {
    result.DOCKER_HOST = local;
    return result;
  }
  const host =
    hosts.find((h) => h.name === job.host) ??
    (job.hostUrl ? { name: job.host, url: job.hostUrl } : undefined);
  if (!host) return result;
  const url = new URL(host.url);
  result.DOCKER_HOST = url.protocol === 'https:' ? `tcp://${url.host}` : host.url;
  if (host.certPath) {
    result.DOCKER_CERT_PATH = host.certPath;
    result.DOCKER_TLS_VERIFY = '1';
  }
  return result;
}

/** One plain line per finished image. */
export function describeJob(job: ImageJob, record: ScanRecord): string {
  const took = record.durationMs !== undefined ? ` in ${formatDuration(record.durationMs)}` : '';
  if (record.status === 'scanned' && record.summary) {
    const c = record.summary.counts;
    const counts = SEVERITIES.map((s) => `${c[s]} ${s}`).join(', ');
    return `  ✓ ${job.ref} (${job.host}): ${counts}; ${record.summary.uniqueCves} unique CVEs${took}`;
  }
  const reason = record.error
    ? `${record.error.code}: ${record.error.message.split('\n')[0]}`
    : record.status;
  return `  ✗ ${job.ref} (${job.host}): ${reason}${took}`;
}
