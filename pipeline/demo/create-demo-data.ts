import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiContainer } from '../docker/api-schema.ts';
import { reportsDir, writeReport } from '../scan/reports.ts';
import { imageKey, type ScanRecord } from '../scan/schema.ts';
import { TrivyReportSchema, readFindings, summarize, type Finding } from '../scan/trivy-report.ts';
import { mapContainer } from '../snapshot/map-container.ts';
import { resolveOrchestration } from '../snapshot/orchestration.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { archiveSnapshot } from '../store/archive.ts';
import { openStore } from '../store/db.ts';
import { DEMO_FLEET, type DemoContainer } from './sample-fleet.ts';

const REPORTS = new URL('../../demo/trivy-reports/', import.meta.url);
const HOSTS = [
  { name: 'server', url: 'unix:///var/run/docker.sock' },
  { name: 'nas', url: 'tcp://nas.lan:2375' },
];
const DOWN_HOST = {
  name: 'pi',
  url: 'tcp://pi.lan:2375',
  error: 'no answer to GET /_ping within 5.0 s',
};

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Write the demo homelab (snapshot, scans, findings, one archive) into `dataDir`. `copies` > 1
 * repeats the fleet on more hosts (server-2, nas-2, …) to make big fleets for benchmarks.
 */
export async function createDemoData(
  dataDir: string,
  now: Date = new Date(),
  copies = 1,
): Promise<Snapshot> {
  const snapshot = demoSnapshot(now, copies);
  const scans: Record<string, ScanRecord> = {};
  for (const [i, demo] of DEMO_FLEET.entries()) {
    const container = snapshot.containers.find(
      (c) => c.host === demo.host && c.name === demo.name,
    )!;
    const key = imageKey(container);
    if (scans[key]) continue;
    const record = await demoScan(dataDir, demo, container.scanSkip, now, i);
    if (record)
      scans[key] = { ...record, imageId: container.imageId, ref: demo.image, host: demo.host };
  }
  const store = await openStore(dataDir);
  store.db.data = { ...store.db.data, snapshot, scans };
  await store.db.write();
  await archiveSnapshot(dataDir, snapshot, scans);
  return snapshot;
}

/** The snapshot the real mapping and orchestration code makes of the demo's API entries. */
function demoSnapshot(now: Date, copies: number): Snapshot {
  const hosts = Array.from({ length: copies }, (_, i) =>
    HOSTS.map((h) => ({
      base: h.name,
      name: i === 0 ? h.name : `${h.name}-${i + 1}`,
      url: i === 0 ? h.url : h.url.replace(/nas\.lan|docker\.sock/, (m) => `${m}-${i + 1}`),
    })),
  ).flat();
  const containers = hosts.flatMap((host) => {
    const fleet = DEMO_FLEET.filter((d) => d.host === host.base);
    const digests = new Map(
      fleet.map((d) => [
        `sha256:${sha(d.image)}`,
        [`${d.image.split(':')[0]}@sha256:${sha(`digest ${d.image}`)}`],
      ]),
    );
    const mapped = fleet.map((d) =>
      mapContainer(host.name, toApi(d, now, host.name), digests, undefined),
    );
    return resolveOrchestration(host.name, mapped);
  });
  return {
    takenAt: now.toISOString(),
    hosts: [
      ...hosts.map(({ name, url, base }) => {
        const count = DEMO_FLEET.filter((d) => d.host === base).length;
        return {
          name,
          url,
          ok: true,
          containerCount: count,
          hiddenCount: 0,
          warnings: [],
          durationMs: 40,
        };
      }),
      {
        ...DOWN_HOST,
        ok: false,
        containerCount: 0,
        hiddenCount: 0,
        warnings: [],
        durationMs: 5000,
      },
    ],
    containers,
  };
}

/** What GET /containers/json would say about a demo container. */
function toApi(d: DemoContainer, now: Date, host: string): ApiContainer {
  const running = (d.state ?? 'running') === 'running';
  return {
    Id: sha(`${host}/${d.name}`),
    Names: [`/${d.name}`],
    Image: d.image,
    ImageID: `sha256:${sha(d.image)}`,
    Created: Math.floor(now.getTime() / 1000) - 86_400 * 9,
    State: running ? 'running' : 'exited',
    Status: running ? `Up 9 days${d.health ? ` (${d.health})` : ''}` : 'Exited (0) 6 hours ago',
    Labels: d.labels ?? {},
    HostConfig: {
      NetworkMode: d.networkFrom ? `container:${sha(`${host}/${d.networkFrom}`)}` : 'bridge',
    },
    NetworkSettings: {
      Networks: d.networkFrom
        ? {}
        : { [`${d.labels?.['com.docker.compose.project'] ?? 'bridge'}_default`]: {} },
    },
  };
}

type DemoRecord = Omit<ScanRecord, 'imageId' | 'ref' | 'host'>;

async function demoScan(
  dataDir: string,
  demo: DemoContainer,
  skip: boolean,
  now: Date,
  i: number,
): Promise<DemoRecord | undefined> {
  const at = new Date(now.getTime() - (5 + i) * 60_000).toISOString();
  if (skip) return { status: 'skipped', updatedAt: at };
  if (demo.scan === 'not_scanned') return undefined;
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
  const findings: Finding[] = [];
  for (const name of demo.scan.reports) {
    const json: unknown = JSON.parse(
      await readFile(fileURLToPath(new URL(`${name}.json`, REPORTS)), 'utf8'),
    );
    findings.push(...readFindings(TrivyReportSchema.parse(json)));
  }
  const report = await writeReport(reportsDir(dataDir), findings);
  return {
    status: 'scanned',
    updatedAt: at,
    scannedAt: at,
    durationMs: 4_000 + i * 350,
    trivyVersion: '0.68.2',
    summary: summarize(findings),
    report,
  };
}
