import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { findClosedPort, startSilentServer } from '../helpers/recording-proxy.ts';

describe('a host that is down or hangs does not stop the others', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(() => silent.close());

  it('records a refused host, keeps the good one, exits 2', async () => {
    const dataDir = makeDataDir();
    const port = await findClosedPort();
    const run = await runCli(['snapshot'], {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKER_HOST_1_URL: `tcp://127.0.0.1:${port}`,
      DOCKER_HOST_1_NAME: 'nas',
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `nas tcp://127.0.0.1:${port}: connection refused (127.0.0.1:${port}) [connection_refused]`,
    );
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    expect(db.snapshot!.hosts.map((h) => [h.name, h.ok, h.error, h.errorCode])).toEqual([
      ['lab', true, undefined, undefined],
      ['nas', false, `connection refused (127.0.0.1:${port})`, 'connection_refused'],
    ]);
    expect(db.snapshot!.containers.filter((c) => c.host === 'lab')).toHaveLength(17);
    const exported = JSON.parse((await runCli(['export'], { DOCKPEEK_DATA_DIR: dataDir })).stdout);
    expect(exported.hosts).toEqual([
      { name: 'lab', url: `unix://${inject('dockerSocket')}`, ok: true },
      {
        name: 'nas',
        url: `tcp://127.0.0.1:${port}`,
        ok: false,
        error: `connection refused (127.0.0.1:${port})`,
      },
    ]);
  });

  it('gives up on a host that accepts connections but never answers, at its deadline', async () => {
    const dataDir = makeDataDir();
    const run = await runCli(['snapshot', '--connect-timeout', '1s'], {
      DOCKER_HOST: `unix://${inject('dockerSocket')}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKER_HOST_1_URL: `tcp://127.0.0.1:${silent.port}`,
      DOCKER_HOST_1_NAME: 'hung',
      DOCKPEEK_DATA_DIR: dataDir,
    });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain('hung tcp://127.0.0.1:');
    expect(run.stderr).toContain('no answer to GET /_ping within 1.0 s [timeout]');
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    expect(db.snapshot!.hosts[1]).toMatchObject({ name: 'hung', ok: false, errorCode: 'timeout' });
    expect(db.snapshot!.containers).toHaveLength(17);
  });
});
