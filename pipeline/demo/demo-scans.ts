import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { reportsDir, writeReport } from '../scan/reports.ts';
import type { ScanRecord } from '../scan/schema.ts';
import { parseReportFile } from '../scan/parse-report.ts';
import type { ImageOs } from '../scan/report-reader.ts';
import { summarize, type Finding } from '../scan/trivy-report.ts';
import type { UpdateRecord } from '../updates/schema.ts';
import type { DemoContainer } from './sample-fleet.ts';

const REPORTS = new URL('../../demo/trivy-reports/', import.meta.url);

/** How an archived day differs from today: extra findings since fixed, or the scanner down. */
export interface DemoVariant {
  extraReports: string[];
  dbDown: boolean;
}

export type DemoRecord = Omit<ScanRecord, 'imageId' | 'ref' | 'host'>;

/** The scan record the demo shows for one image at `now`. */
export async function demoScan(
  dataDir: string,
  demo: DemoContainer,
  skip: boolean,
  now: Date,
  i: number,
  variant: DemoVariant = { extraReports: [], dbDown: false },
): Promise<DemoRecord | undefined> {
  const at = new Date(now.getTime() - (5 + i) * 60_000).toISOString();
  if (skip) return { status: 'skipped', updatedAt: at };
  if (demo.scan === 'not_scanned') return undefined;
  if (variant.dbDown) {
    const message =
      'run error: init error: DB error: failed to download vulnerability DB: database download error: OCI repository error: 1 error occurred:\n* Get "https://mirror.gcr.io/v2/aquasec/trivy-db/manifests/2": dial tcp: lookup mirror.gcr.io: i/o timeout';
    return {
      status: 'failed',
      updatedAt: at,
      durationMs: 0,
      error: { code: 'db_unavailable', message },
      retryAfter: new Date(now.getTime() + 3_600_000).toISOString(),
    };
  }
  if ('failed' in demo.scan) {
    const message =
      demo.scan.failed === 'scan_timeout'
        ? 'run error: image scan error: scan error: scan failed: failed analysis: analyze error: pipeline error: context deadline exceeded'
        : `run error: image scan error: scan error: unable to initialize a scan service: unable to initialize artifact: unable to initialize container image: unable to find the specified image "${demo.image}" in ["docker" "remote"]: 2 errors occurred:\n* docker error: unable to inspect the image (${demo.image}): Error response from daemon: 403 Forbidden\n* remote error: GET https://registry.example.lan/v2/${demo.image.split('/').slice(1).join('/').split(':')[0]}/manifests/${demo.image.split(':').pop()}: UNAUTHORIZED: authentication required`;
    const retryAfter = new Date(now.getTime() + 45 * 60_000).toISOString();
    return {
      status: 'failed',
      updatedAt: at,
      durationMs: demo.scan.failed === 'scan_timeout' ? 150_000 : 1_900,
      trivyVersion: '0.68.2',
      error: { code: demo.scan.failed, message },
      retryAfter,
    };
  }
  const names = [...demo.scan.reports, ...variant.extraReports];
  const parts = await Promise.all(names.map(readDemoReport));
  const findings = parts.flatMap((p) => p.findings);
  const os = parts.find((p) => p.os)?.os;
  const report = await writeOnce(dataDir, names, findings);
  return {
    status: 'scanned',
    updatedAt: at,
    scannedAt: at,
    durationMs: 4_000 + i * 350,
    trivyVersion: '0.68.2',
    summary: summarize(findings),
    report,
    ...(os && { os }),
  };
}

const written = new Map<string, Promise<string>>();

/** The same reports make the same content-addressed file: write it once per data dir. */
function writeOnce(dataDir: string, names: string[], findings: Finding[]): Promise<string> {
  const key = `${dataDir}\u0000${names.join(',')}`;
  if (!written.has(key)) written.set(key, writeReport(reportsDir(dataDir), findings));
  return written.get(key)!;
}

const parsed = new Map<string, Promise<{ findings: Finding[]; os?: ImageOs }>>();

/** A bundled report read once per process, through the same streaming reader a scan uses. */
function readDemoReport(name: string): Promise<{ findings: Finding[]; os?: ImageOs }> {
  if (!parsed.has(name)) {
    parsed.set(
      name,
      parseReportFile(fileURLToPath(new URL(`${name}.json`, REPORTS))).then((result) => {
        if (!result?.ok) throw new Error(`demo report ${name} is unreadable: ${result?.message}`);
        return { findings: result.findings, ...(result.os && { os: result.os }) };
      }),
    );
  }
  return parsed.get(name)!;
}

const DEMO_UPDATES = new Set([
  'qmcgaw/gluetun:v3.39.1',
  'postgres:16.6',
  'lscr.io/linuxserver/sonarr:4.0.11',
  'jellyfin/jellyfin:10.10.3',
  'grafana/grafana:11.4.0',
]);

/** Update records for the demo: a few updates (two on anchors), private images unknown. */
export function demoUpdates(
  containers: Array<{ image: string; host: string; repoDigests: string[] }>,
  now: Date,
): Record<string, UpdateRecord> {
  const records: Record<string, UpdateRecord> = {};
  for (const c of containers) {
    if (records[c.image]) continue;
    const base = {
      ref: c.image,
      host: c.host,
      checkedAt: new Date(now.getTime() - 20 * 60_000).toISOString(),
      localDigests: c.repoDigests,
    };
    const remote = `sha256:${createHash('sha256').update(`remote ${c.image}`).digest('hex')}`;
    if (c.image.startsWith('registry.example.lan/')) {
      records[c.image] = {
        ...base,
        status: 'unknown',
        reason: 'authentication required (unauthorized: authentication required)',
      };
    } else if (DEMO_UPDATES.has(c.image))
      records[c.image] = { ...base, status: 'update_available', remoteDigest: remote };
    else
      records[c.image] = {
        ...base,
        status: 'up_to_date',
        remoteDigest: c.repoDigests[0]!.split('@')[1]!,
      };
  }
  return records;
}
