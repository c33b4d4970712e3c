import type { ImageView, View } from '../../pipeline/notify/observe.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import type { Container } from '../../pipeline/snapshot/schema.ts';
import type { Severity } from '../../pipeline/vocabulary.ts';

/** A finding as the scan stores it. */
export function finding(id: string, severity: Severity, fixed?: string, pkg = 'openssl'): Finding {
  return {
    id,
    pkg,
    installed: '1.0',
    severity,
    ...(fixed && { fixed }),
    title: `${id} in ${pkg}`,
    target: 'debian',
  };
}

/** A container as the snapshot stores it. */
export function container(
  host: string,
  name: string,
  image: string,
  orchestration: Partial<Container['orchestration']> = {},
): Container {
  return {
    host,
    id: `${host}-${name}`,
    name,
    image,
    imageId: `sha256:${image
      .replace(/[^a-z0-9]/g, '')
      .padEnd(64, '0')
      .slice(0, 64)}`,
    repoDigests: [],
    state: 'running',
    ports: [],
    networkMode: 'none',
    networks: [],
    compose: { dependsOn: [] },
    labels: {},
    stack: null,
    scanSkip: false,
    orchestration: {
      role: 'standalone',
      anchor: null,
      anchorType: null,
      dependents: [],
      stackOverride: null,
      hidden: false,
      inferred: false,
      warnings: [],
      ...orchestration,
    },
  };
}

export type ImageSpec = {
  host?: string;
  ref?: string;
  containers?: Container[];
  scan?: ImageView['scan'] | Finding[] | 'failed' | 'unknown';
  update?: ImageView['update'];
};

/** One image on one host; `scan` may be the findings of a successful scan. */
export function image(spec: ImageSpec = {}): ImageView {
  const host = spec.host ?? 'lab';
  const ref = spec.ref ?? 'app:1';
  const containers = spec.containers ?? [container(host, 'web', ref)];
  const scan: ImageView['scan'] = Array.isArray(spec.scan)
    ? { state: 'scanned', tracked: spec.scan }
    : spec.scan === 'failed'
      ? { state: 'failed', code: 'image_unavailable', message: 'unable to find the image' }
      : spec.scan === 'unknown' || spec.scan === undefined
        ? { state: 'unknown' }
        : spec.scan;
  return {
    host,
    ref,
    containers,
    keys: [...new Set(containers.map((c) => c.imageId))],
    scan,
    update: spec.update ?? { state: 'none' },
  };
}

/** A view of hosts (all up unless listed in `down`) and images. */
export function view(images: ImageView[], hosts = ['lab'], down: string[] = []): View {
  return {
    hosts: hosts.map((name) => ({
      name,
      up: !down.includes(name),
      ...(down.includes(name) && {
        error: 'connection refused',
        code: 'connection_refused' as const,
      }),
      containers: images.filter((i) => i.host === name).flatMap((i) => i.containers).length,
    })),
    images: images.filter((i) => !down.includes(i.host)),
  };
}
