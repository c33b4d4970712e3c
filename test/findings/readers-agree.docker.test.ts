import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { IMAGES } from '../helpers/homelab.ts';
import { expectReadersAgree } from '../helpers/readers.ts';
import { STANDIN } from '../helpers/standin.ts';

// The acceptance homelab on the tests' real dockerd: a failed image, skipped ones, one image on
// three containers (the *arr stack) whose critical finding a rule accepts.
describe('the readers of the findings agree (acceptance homelab)', () => {
  it('home, History, the CVE index, export, export --findings and notify --dry-run', async () => {
    const dataDir = makeDataDir();
    const config = path.join(dataDir, 'standin.json');
    writeFileSync(
      config,
      JSON.stringify({
        images: {
          [IMAGES.gluetun]: { report: 'alpine-310', ms: 50 },
          [IMAGES.arr]: { report: 'debian-buster', ms: 50 },
          [IMAGES.postgres]: { report: 'centos-7', ms: 50 },
          [IMAGES.qbittorrent]: { report: 'distroless-base', ms: 50 },
          [IMAGES.nextcloud]: { fail: 'not_found' },
        },
        default: { report: 'npm', ms: 50 },
      }),
    );
    const rules = path.join(dataDir, 'accepted.trivyignore.yaml');
    writeFileSync(
      rules,
      [
        'vulnerabilities:',
        '  - id: CVE-2019-18224',
        `    images: [${IMAGES.arr.split(':')[0]}]`,
        '    statement: libidn2 is not reachable from the arr apps',
        '',
      ].join('\n'),
    );
    const site = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-readers-lab-')), 'site');
    const env = {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_VEX: rules,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: config,
      HOME: dataDir,
    };
    expect((await runCli(['snapshot'], env)).exitCode).toBe(0);
    // 2: nextcloud's scan fails, and that is part of what every reader must tell alike.
    expect((await runCli(['scan'], env)).exitCode).toBe(2);
    const build = await runCli(['build', '--site-dir', site], env);
    expect(build.exitCode, build.stderr).toBe(0);
    await expectReadersAgree({ dataDir, site, env }, [
      IMAGES.arr,
      IMAGES.gluetun,
      IMAGES.postgres,
      IMAGES.qbittorrent,
    ]);
  }, 180_000);
});
