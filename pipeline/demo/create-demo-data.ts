import { createHash } from 'node:crypto';
import type { ApiContainer } from '../docker/api-schema.ts';
import { imageKey, type ScanRecord } from '../scan/schema.ts';
import { mapContainer } from '../snapshot/map-container.ts';
import { resolveOrchestration } from '../snapshot/orchestration.ts';
import type { Snapshot } from '../snapshot/schema.ts';
import { archiveWithSummary } from '../store/archive-index.ts';
import { openStore } from '../store/db.ts';
import { demoScan, demoUpdates, type DemoVariant } from './demo-scans.ts';
import { DEMO_FLEET, DEMO_HIDDEN, type DemoContainer } from './sample-fleet.ts';

const DAY = 86_400_000;

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
 * Write the demo homelab into `dataDir`: today's snapshot, scans and findings, and `historyDays`
 * archived days before it (more findings in the past, one day with the scanner down). A `size`
 * above the demo's 44 containers repeats the fleet on more hosts (server-2, nas-2, …), the last
 * one partly, to make fleets of exactly that many containers for benchmarks.
 */
export async function createDemoData(
  dataDir: string,
  now: Date = new Date(),
  size = DEMO_FLEET.length,
  historyDays = 0,
): Promise<Snapshot> {
  for (let day = historyDays; day >= 1; day--) {
    const at = new Date(now.getTime() - day * DAY);
    const past = demoSnapshot(at, size);
    // Older days carry findings fixed since; day 4 had no vulnerability DB (a gap in the trend).
    const variant = (i: number): DemoVariant => ({
      extraReports: (i * 7 + day) % 10 < day / 2 ? ['centos-7'] : [],
      dbDown: day === 4,
    });
    const scans = await demoScans(dataDir, past, at, variant);
    await archiveWithSummary(dataDir, past, scans, demoUpdates(past.containers, at));
  }
  const snapshot = demoSnapshot(now, size);
  const scans = await demoScans(dataDir, snapshot, now, () => ({
    extraReports: [],
    dbDown: false,
  }));
  const updates = demoUpdates(snapshot.containers, now);
  const store = await openStore(dataDir);
  store.db.data = {
    ...store.db.data,
    snapshot,
    scans,
    updates,
    scanRun: { state: 'ran', at: new Date(now.getTime() - 5 * 60_000).toISOString() },
  };
  await store.db.write();
  await archiveWithSummary(dataDir, snapshot, scans, updates);
  return snapshot;
}

async function demoScans(
  dataDir: string,
  snapshot: Snapshot,
  now: Date,
  variant: (i: number) => DemoVariant,
): Promise<Record<string, ScanRecord>> {
  const scans: Record<string, ScanRecord> = {};
  for (const [i, demo] of DEMO_FLEET.entries()) {
    const container = snapshot.containers.find(
      (c) => c.host === demo.host && c.name === demo.name,
    )!;
    const key = imageKey(container);
    if (scans[key]) continue;
    const record = await demoScan(dataDir, demo, container.scanSkip, now, i, variant(i));
    if (record)
      scans[key] = { ...record, imageId: container.imageId, ref: demo.image, host: demo.host };
  }
  return scans;
}

/** The snapshot the real mapping and orchestration code makes of the demo's API entries. */
function demoSnapshot(now: Date, size: number): Snapshot {
  const copies = Math.max(1, Math.ceil(size / DEMO_FLEET.length));
  let budget = Math.max(size, DEMO_FLEET.length);
  const hosts = Array.from({ length: copies }, (_, i) =>
    HOSTS.map((h) => ({
      base: h.name,
      name: i === 0 ? h.name : `${h.name}-${i + 1}`,
      url: i === 0 ? h.url : h.url.replace(/nas\.lan|docker\.sock/, (m) => `${m}-${i + 1}`),
    })),
  )
    .flat()
    .map((host) => {
      const fleet = DEMO_FLEET.filter((d) => d.host === host.base).slice(0, budget);
      budget -= fleet.length;
      return { ...host, fleet };
    })
    .filter((host) => host.fleet.length > 0);
  // The first host also runs containers labelled dockpeek.hide=true: read, then left out.
  const read = hosts.map(({ fleet, ...host }, i) => {
    const all = i === 0 ? [...fleet, ...DEMO_HIDDEN] : fleet;
    const digests = new Map(
      all.map((d) => [
        `sha256:${sha(d.image)}`,
        [`${d.image.split(':')[0]}@sha256:${sha(`digest ${d.image}`)}`],
      ]),
    );
    const mapped = all.map((d) =>
      mapContainer(host.name, toApi(d, now, host.name), digests, undefined),
    );
    return { host, read: all.length, containers: resolveOrchestration(host.name, mapped) };
  });
  const containers = read.flatMap((r) => r.containers);
  return {
    takenAt: now.toISOString(),
    hosts: [
      ...read.map(({ host, read: count, containers: shown }) => ({
        name: host.name,
        url: host.url,
        ok: true,
        containerCount: count,
        hiddenCount: count - shown.length,
        warnings: [],
        durationMs: 40,
      })),
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
