import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { IMAGES } from '../helpers/homelab.ts';
import { STANDIN, isScan, readInvocations, reportCounts } from '../helpers/standin.ts';

describe('snapshot then scan of the homelab on a real dockerd', () => {
  it('scans each distinct image from the daemon that runs it, and export reports it per container', async () => {
    const dataDir = makeDataDir();
    const log = path.join(dataDir, 'trivy.log');
    const config = path.join(dataDir, 'standin.json');
    writeFileSync(
      config,
      JSON.stringify({
        images: {
          [IMAGES.gluetun]: { report: 'alpine-310', ms: 100 },
          [IMAGES.arr]: { report: 'debian-buster', ms: 100 },
          [IMAGES.postgres]: { report: 'centos-7', ms: 100 },
          [IMAGES.nextcloud]: { fail: 'not_found' },
        },
        default: { report: 'sl-micro-rancher5.4', ms: 50 },
      }),
    );
    const socket = inject('dockerSocket');
    const env = {
      DOCKER_HOST: `unix://${socket}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKPEEK_DATA_DIR: dataDir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      DPK_STANDIN_LOG: log,
      HOME: dataDir,
    };
    expect((await runCli(['snapshot'], env)).exitCode).toBe(0);
    const scan = await runCli(['scan'], env);
    expect(scan.exitCode, scan.stderr).toBe(2);

    const scans = readInvocations(log).filter(isScan);
    // 7 images in the homelab; the private app image is skipped (dockpeek.security.skip on "fresh").
    expect(scans.map((s) => s.argv.at(-1)).sort()).toEqual(
      [
        IMAGES.busybox,
        IMAGES.gluetun,
        IMAGES.qbittorrent,
        IMAGES.arr,
        IMAGES.postgres,
        IMAGES.nextcloud,
      ].sort(),
    );
    expect(new Set(scans.map((s) => s.dockerHost))).toEqual(new Set([`unix://${socket}`]));

    const exported = JSON.parse((await runCli(['export'], env)).stdout) as {
      containers: Array<{ name: string; security: Record<string, unknown> }>;
    };
    const security = (name: string) => exported.containers.find((c) => c.name === name)!.security;
    expect(security('gluetun')).toMatchObject({ status: 'scanned', ...reportCounts('alpine-310') });
    for (const name of ['sonarr', 'radarr', 'prowlarr'])
      expect(security(name)).toMatchObject({ status: 'scanned', ...reportCounts('debian-buster') });
    expect(security('nextcloud')).toMatchObject({
      status: 'failed',
      error: { code: 'image_unavailable' },
      counts: { critical: null },
    });
    expect(security('fresh')).toMatchObject({ status: 'skipped' });
    expect(security('backup-job')).toMatchObject({ status: 'skipped' });
  });
});
