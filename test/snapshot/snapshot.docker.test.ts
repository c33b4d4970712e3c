import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import type { Container } from '../../pipeline/snapshot/schema.ts';
import { makeDataDir, runCli, type CliResult } from '../helpers/cli.ts';
import { HOSTILE, IMAGES } from '../helpers/homelab.ts';

describe('snapshot of the homelab on a real dockerd', () => {
  let dataDir: string;
  let run: CliResult;
  let byName: Map<string, Container>;

  beforeAll(async () => {
    dataDir = makeDataDir();
    run = await runCli(['snapshot'], {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKPEEK_DATA_DIR: dataDir,
    });
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    byName = new Map(db.snapshot!.containers.map((c) => [c.name, c]));
  });

  it('exits 0 and says what it read', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('lab unix://');
    expect(run.stderr).toMatch(/18 containers \(1 hidden\)/);
  });

  it('stores every container but the hidden one, stopped and created included', () => {
    expect([...byName.keys()].sort()).toEqual(
      [
        'backup-job',
        'cycle-a',
        'cycle-b',
        'fresh',
        'gluetun',
        'hostile',
        'immich',
        'nextcloud',
        'orphan',
        'oversized',
        'postgres',
        'prowlarr',
        'qbittorrent',
        'radarr',
        'selfish',
        'sonarr',
        'vaultwarden',
      ].sort(),
    );
    expect(byName.get('backup-job')).toMatchObject({
      state: 'exited',
      exitCode: 3,
      stack: 'maintenance',
    });
    expect(byName.get('fresh')).toMatchObject({ state: 'created', scanSkip: true });
    expect(byName.get('vaultwarden')).toMatchObject({ state: 'running', health: 'healthy' });
  });

  it('stores the gluetun anchor exactly, with its labelled and inferred dependents', () => {
    const gluetun = byName.get('gluetun')!;
    expect(gluetun).toEqual({
      host: 'lab',
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      name: 'gluetun',
      image: IMAGES.gluetun,
      imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      repoDigests: [],
      state: 'running',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ports: [],
      networkMode: 'none',
      networks: ['none'],
      compose: { dependsOn: [] },
      labels: {
        'dockpeek.anchor-type': 'network',
        'dockpeek.role': 'anchor',
        'dockpeek.stack': 'vpn',
      },
      stack: 'vpn',
      scanSkip: false,
      orchestration: {
        role: 'anchor',
        anchor: null,
        anchorType: 'network',
        dependents: ['prowlarr', 'qbittorrent'],
        stackOverride: 'vpn',
        hidden: false,
        inferred: false,
        warnings: [],
      },
    });
  });

  it.each<[string, Partial<Container['orchestration']>]>([
    [
      'qbittorrent',
      {
        role: 'dependent',
        anchor: 'gluetun',
        anchorType: 'network',
        inferred: false,
        warnings: [],
      },
    ],
    [
      'prowlarr',
      {
        role: 'dependent',
        anchor: 'gluetun',
        anchorType: 'network',
        inferred: true,
        dependents: ['radarr', 'sonarr'],
        warnings: [],
      },
    ],
    [
      'sonarr',
      {
        role: 'dependent',
        anchor: 'prowlarr',
        anchorType: 'service',
        inferred: true,
        warnings: [],
      },
    ],
    // Labels win over compose depends_on (sonarr).
    [
      'radarr',
      {
        role: 'dependent',
        anchor: 'prowlarr',
        anchorType: 'service',
        inferred: false,
        warnings: [],
      },
    ],
    [
      'postgres',
      {
        role: 'anchor',
        anchorType: 'database',
        dependents: ['immich', 'nextcloud'],
        inferred: false,
      },
    ],
    [
      'nextcloud',
      {
        role: 'dependent',
        anchor: 'postgres',
        anchorType: 'database',
        inferred: false,
        warnings: [],
      },
    ],
    [
      'immich',
      {
        role: 'dependent',
        anchor: 'postgres',
        anchorType: 'database',
        inferred: false,
        warnings: [],
      },
    ],
    ['vaultwarden', { role: 'standalone', anchor: null, dependents: [], warnings: [] }],
  ])('resolves %s', (name, expected) => {
    expect(byName.get(name)!.orchestration).toMatchObject(expected);
  });

  it('turns every bad label into a warning on its container', () => {
    expect(byName.get('hostile')!.orchestration.warnings).toEqual([
      'unknown role "overlord" in dockpeek.role (expected anchor, dependent, standalone); ignored',
      `dockpeek.anchor ${JSON.stringify(HOSTILE.anchor)} is not a valid container name; ignored`,
    ]);
    expect(byName.get('hostile')!.stack).toBe(HOSTILE.stack);
    expect(byName.get('oversized')!.orchestration.warnings).toEqual([
      'label name contained control characters; they were removed'.replace(
        'label name',
        'dockpeek.colour',
      ),
      'unknown label "dockpeek.colour" (known: dockpeek.role, dockpeek.anchor, dockpeek.anchor-type, dockpeek.stack, dockpeek.hide, dockpeek.security.skip)',
      'dockpeek.stack is 5000 characters long; truncated to 200',
      'dockpeek.hide="maybe" is not true or false; read as false',
    ]);
    expect(byName.get('oversized')!.stack).toBe('x'.repeat(200));
    expect(byName.get('cycle-a')!.orchestration.warnings).toEqual([
      'dependency cycle: cycle-a → cycle-b → cycle-a',
    ]);
    expect(byName.get('cycle-b')!.orchestration.warnings).toEqual([
      'dependency cycle: cycle-b → cycle-a → cycle-b',
    ]);
    expect(byName.get('selfish')!.orchestration).toMatchObject({
      anchor: null,
      warnings: ['dockpeek.anchor names the container itself; ignored'],
    });
    expect(byName.get('orphan')!.orchestration).toMatchObject({
      role: 'dependent',
      anchor: 'ghost',
      warnings: ['anchor "ghost" does not exist on host lab'],
    });
  });
});
