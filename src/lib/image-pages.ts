import { imageKey } from '../../pipeline/scan/schema.ts';
import type { Finding } from '../../pipeline/scan/trivy-report.ts';
import type { SiteData } from './site-data.ts';
import { imageSlug } from './image-slug.ts';
import { toSecurityView, type SecurityView } from './security-view.ts';
import { containerDomId } from './dom-id.ts';

/** One page per distinct image. */
export interface ImagePage {
  key: string;
  slug: string;
  ref: string;
  imageId: string;
  repoDigests: string[];
  security: SecurityView;
  trivyVersion?: string;
  durationMs?: number;
  containers: Array<{ host: string; name: string; state: string; domId: string }>;
  /** Fixable first, then by severity, then by id. */
  findings: Finding[];
  /** True when the image was scanned but its findings file is missing. */
  findingsMissing: boolean;
}

const RANK = { critical: 0, high: 1, medium: 2, low: 3, unknown: 4 } as const;

/** Build every image page from the snapshot, the scan records and the findings files. */
export function buildImagePages(data: SiteData): ImagePage[] {
  const byKey = new Map<string, SiteData['snapshot']['containers']>();
  for (const c of data.snapshot.containers)
    byKey.set(imageKey(c), [...(byKey.get(imageKey(c)) ?? []), c]);
  return [...byKey].map(([key, containers]) => {
    const first = containers[0]!;
    const record = data.scans[key];
    const security = toSecurityView(
      record,
      containers.some((c) => c.scanSkip),
    );
    const findings = sortFindings(data.findings.get(key) ?? []);
    return {
      key,
      slug: imageSlug(key),
      ref: record?.ref ?? first.image,
      imageId: first.imageId,
      repoDigests: first.repoDigests,
      security,
      ...(record?.trivyVersion && { trivyVersion: record.trivyVersion }),
      ...(record?.durationMs !== undefined && { durationMs: record.durationMs }),
      containers: containers
        .map((c) => ({
          host: c.host,
          name: c.name,
          state: c.state,
          domId: containerDomId(c),
        }))
        .sort((a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name)),
      findings,
      findingsMissing:
        security.kind === 'scanned' && security.findings > 0 && !data.findings.has(key),
    };
  });
}

/** Fixable first (what can be done now), then most severe, then id and package. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(Boolean(b.fixed)) - Number(Boolean(a.fixed)) ||
      RANK[a.severity] - RANK[b.severity] ||
      a.id.localeCompare(b.id) ||
      a.pkg.localeCompare(b.pkg),
  );
}
