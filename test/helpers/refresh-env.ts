import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { IMAGES } from './homelab.ts';
import { STANDIN } from './standin.ts';

const FEED_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/feeds');

/** Data dir, site dir, stand-in config and log for refresh runs against the test daemon. */
export function createRefreshEnv(images: Record<string, unknown> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'dpk-refresh-'));
  const config = path.join(root, 'standin.json');
  /** Writes the stand-in config (or, with `file`, a copy for a run given that file instead). */
  const writeConfig = (extra: Record<string, unknown>, file = config) =>
    writeFileSync(
      file,
      JSON.stringify({
        images: {
          [IMAGES.gluetun]: { report: 'alpine-310', ms: 100 },
          [IMAGES.postgres]: { report: 'centos-7', ms: 100 },
          ...extra,
        },
        default: { report: 'sl-micro-rancher5.4', ms: 50 },
        dbDownloadMs: 20,
      }),
    );
  writeConfig(images);
  const env: Record<string, string> = {
    DOCKER_HOST: `unix://${inject('dockerSocket')}`,
    DOCKER_HOST_NAME: 'lab',
    DOCKPEEK_DATA_DIR: path.join(root, 'data'),
    DOCKPEEK_SITE_DIR: path.join(root, 'www', 'site'),
    TRIVY_BIN: STANDIN,
    DPK_STANDIN_CONFIG: config,
    DPK_STANDIN_LOG: path.join(root, 'trivy.log'),
    HOME: root,
    // Offline: the feeds stage reads the recorded fixtures instead of cisa.gov and FIRST.
    DOCKPEEK_KEV_URL: path.resolve(FEED_FIXTURES, 'known_exploited_vulnerabilities.json'),
    DOCKPEEK_EPSS_URL: path.resolve(FEED_FIXTURES, 'epss-made-up-small.csv'),
  };
  return {
    root,
    env,
    writeConfig,
    siteDir: env.DOCKPEEK_SITE_DIR!,
    dataDir: env.DOCKPEEK_DATA_DIR!,
    log: env.DPK_STANDIN_LOG!,
  };
}
