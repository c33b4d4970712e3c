import { imageKey } from '../../pipeline/scan/schema.ts';
import type { ContainerRow } from './container-rows.ts';
import type { SiteData } from './site-data.ts';
import { SEVERITY_BADGES, toSecurityView } from './security-view.ts';

export interface SeverityTotal {
  key: string;
  label: string;
  /** Findings summed over distinct scanned images (an image on 3 containers counts once). */
  findings: number;
  /** Distinct CVE ids across those images. */
  uniqueCves: number;
  /** Rows of the table whose badge for this severity is above zero. */
  containers: number;
}

export interface Summary {
  severities: SeverityTotal[];
  fixable: number;
  containers: {
    total: number;
    clean: number;
    vulnerable: number;
    failed: number;
    pending: number;
    notScanned: number;
    skipped: number;
  };
  images: { total: number; scanned: number; failed: number };
  /** Containers whose image has a newer one in its registry. */
  updatesAvailable: number;
  hosts: Array<{ name: string; url: string; ok: boolean; error?: string }>;
}

/** Totals for the summary panel, computed from the same rows the table shows. */
export function buildSummary(
  data: Pick<SiteData, 'snapshot' | 'scans' | 'findings'>,
  rows: ContainerRow[],
): Summary {
  const images = new Map<string, { skip: boolean }>();
  for (const c of data.snapshot.containers) {
    const key = imageKey(c);
    images.set(key, { skip: (images.get(key)?.skip ?? false) || c.scanSkip });
  }
  const views = [...images].map(([key, { skip }]) => ({
    key,
    view: toSecurityView(data.scans[key], skip),
  }));
  const scanned = views.flatMap(({ key, view }) =>
    view.kind === 'scanned' ? [{ key, view }] : [],
  );

  const severities = SEVERITY_BADGES.map(({ key, label }) => {
    const ids = new Set<string>();
    let fallback = 0;
    for (const { key: image, view } of scanned) {
      const findings = data.findings.get(image);
      if (findings) for (const f of findings) if (f.severity === key) ids.add(f.id);
      if (!findings) fallback += view.counts[key] > 0 ? view.uniqueCves : 0;
    }
    return {
      key,
      label,
      findings: scanned.reduce((sum, { view }) => sum + view.counts[key], 0),
      uniqueCves: ids.size + fallback,
      containers: rows.filter((r) => r.security.kind === 'scanned' && r.security.counts[key] > 0)
        .length,
    };
  });

  const count = (kind: string) => rows.filter((r) => r.security.kind === kind).length;
  return {
    severities,
    fixable: scanned.reduce((sum, { view }) => sum + view.fixable, 0),
    containers: {
      total: rows.length,
      clean: rows.filter((r) => r.security.kind === 'scanned' && r.security.clean).length,
      vulnerable: rows.filter((r) => r.security.kind === 'scanned' && !r.security.clean).length,
      failed: count('failed'),
      pending: count('pending'),
      notScanned: count('not_scanned'),
      skipped: count('skipped'),
    },
    updatesAvailable: rows.filter((r) => r.update.kind === 'available').length,
    images: {
      total: images.size,
      scanned: scanned.length,
      failed: views.filter((v) => v.view.kind === 'failed').length,
    },
    hosts: data.snapshot.hosts.map((h) => ({
      name: h.name,
      url: h.url,
      ok: h.ok,
      ...(h.error && { error: h.error }),
    })),
  };
}
