import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.ts';

describe('the snapshot only reads from the Docker API', () => {
  let proxy: RecordingProxy;

  beforeAll(async () => {
    proxy = await startRecordingProxy(
      path.join(makeDataDir(), 'proxy.sock'),
      inject('dockerSocket'),
    );
  });
  afterAll(() => proxy.close());

  it('sends only GET/HEAD, and a constant number of requests without --inspect', async () => {
    proxy.requests.length = 0;
    const run = await runCli(['snapshot'], {
      DOCKER_HOST: `unix://${proxy.socket}`,
      DOCKPEEK_DATA_DIR: makeDataDir(),
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(proxy.requests.map((r) => r.method).every((m) => m === 'GET' || m === 'HEAD')).toBe(
      true,
    );
    // 18 containers, yet 3 requests: ping, the container list, the image list.
    expect(proxy.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`).sort()).toEqual([
      'GET /_ping',
      'GET /containers/json',
      'GET /images/json',
    ]);
  });

  it('adds exactly one GET per container with --inspect, and stores what it adds', async () => {
    proxy.requests.length = 0;
    const dataDir = makeDataDir();
    const run = await runCli(['snapshot', '--inspect'], {
      DOCKER_HOST: `unix://${proxy.socket}`,
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(proxy.requests.every((r) => r.method === 'GET')).toBe(true);
    const inspects = proxy.requests.filter((r) => /^\/containers\/[0-9a-f]+\/json/.test(r.url));
    expect(inspects).toHaveLength(18);
    expect(proxy.requests).toHaveLength(3 + 18);
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    const byName = new Map(db.snapshot!.containers.map((c) => [c.name, c]));
    expect(byName.get('gluetun')).toMatchObject({
      restartCount: 0,
      startedAt: expect.stringMatching(/^\d{4}-/),
    });
    // Never started: Docker's zero time is not stored as a start time.
    expect(byName.get('fresh')!.startedAt).toBeUndefined();
  });
});
