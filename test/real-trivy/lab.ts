// A lab for the real-Trivy tests: a private dockerd running one container per case image, a real
// registry serving the test DB and Java DB as OCI artifacts (as an air-gapped mirror would), and
// the environment that points the CLI at both.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDockerd, type TestDaemon } from '../helpers/dockerd.ts';
import { importImage } from '../helpers/homelab.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { CASES, type ImageCase } from './cases.ts';
import { carryAll, type Carried } from './carried.ts';
import type { GhsaRecord } from './ghsa.ts';
import { DB_LAYER, JAVA_DB_LAYER, buildDb, javaDbTarGz, pushArtifact, tarGz } from './db.ts';
import { buildRootfs } from './rootfs.ts';
import type { RealTools } from './tools.ts';

const FEEDS = path.resolve(import.meta.dirname, '../fixtures/feeds');

export interface RealLab {
  daemon: TestDaemon;
  registry: TestRegistry;
  carried: Carried[];
  /** trivy.db and metadata.json, as built. */
  dbDir: string;
  /** OCI references of the artifacts in the registry. */
  dbRepository: string;
  javaDbRepository: string;
  /** The CLI's environment: the lab's daemon, the real trivy, the registry as the DB mirror. */
  env(root: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function createContainer(daemon: TestDaemon, image: ImageCase): Promise<void> {
  const container = await daemon.docker.createContainer({
    name: image.name,
    Image: image.ref,
    Cmd: ['sleep', '3600'],
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await container.start();
}

/** Images and advisories of a test's own, beside the cases (a synthetic advisory, say). */
export interface LabExtras {
  images?: Carried[];
  advisories?: GhsaRecord[];
  /** Folders of this machine copied into every case image (bench/rescan.bench.ts). */
  payload?: string[];
}

export async function startRealLab(
  tools: RealTools,
  cases = CASES,
  extras: LabExtras = {},
): Promise<RealLab> {
  const work = mkdtempSync(path.join(tmpdir(), 'dpk-real-'));
  const daemon = await startDockerd(mkdtempSync('/tmp/dpk-dockerd-real-'));
  let registry: TestRegistry | undefined;
  try {
    const carried = carryAll(cases);
    for (const c of [...carried, ...(extras.images ?? [])]) {
      await importImage(daemon.docker, buildRootfs(work, c, extras.payload), c.image.ref);
      await createContainer(daemon, c.image);
    }
    registry = await startRegistry();
    const dbDir = buildDb(tools, carried, extras.advisories);
    const dbRepository = `${registry.host}/aquasec/trivy-db:2`;
    const javaDbRepository = `${registry.host}/aquasec/trivy-java-db:1`;
    await pushArtifact(registry.host, 'aquasec/trivy-db:2', {
      data: tarGz(dbDir, ['trivy.db', 'metadata.json']),
      mediaType: DB_LAYER,
      title: 'db.tar.gz',
    });
    await pushArtifact(registry.host, 'aquasec/trivy-java-db:1', {
      data: javaDbTarGz(),
      mediaType: JAVA_DB_LAYER,
      title: 'javadb.tar.gz',
    });
    const reg = registry;
    return {
      daemon,
      registry: reg,
      carried,
      dbDir,
      dbRepository,
      javaDbRepository,
      env: (root) => ({
        DOCKER_HOST: `unix://${daemon.socket}`,
        DOCKER_HOST_NAME: 'lab',
        DOCKPEEK_DATA_DIR: path.join(root, 'data'),
        DOCKPEEK_SITE_DIR: path.join(root, 'www', 'site'),
        TRIVY_BIN: tools.trivy,
        TRIVY_DB_REPOSITORY: dbRepository,
        TRIVY_JAVA_DB_REPOSITORY: javaDbRepository,
        // Trivy's DB builder and the Java DB step need nothing else; HOME keeps ~/.docker ours.
        HOME: root,
        DOCKPEEK_KEV_URL: path.join(FEEDS, 'known_exploited_vulnerabilities.json'),
        DOCKPEEK_EPSS_URL: path.join(FEEDS, 'epss-made-up-small.csv'),
      }),
      async stop() {
        await reg.stop();
        await daemon.stop();
      },
    };
  } catch (error) {
    await registry?.stop();
    await daemon.stop();
    throw error;
  }
}
