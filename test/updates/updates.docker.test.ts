import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

const CREDENTIALS = { username: 'dockpeek', password: 'registry-Pa55' };
const CONTAINERS = ['upd-current', 'upd-stale', 'upd-dep', 'upd-auth'];

describe('update detection against real registries', () => {
  let open: TestRegistry;
  let locked: TestRegistry;
  let proxy: RecordingProxy;
  let docker: Docker;
  const dataDir = makeDataDir();
  let env: Record<string, string>;

  async function push(ref: string, authconfig: object = {}) {
    const stream = await docker.getImage(ref).push({ authconfig });
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (error, events) => {
        const failed = (events as Array<{ error?: string }>).find((e) => e.error);
        return error || failed ? reject(error ?? new Error(failed!.error)) : resolve(null);
      }),
    );
  }
  async function tag(source: string, ref: string) {
    const at = ref.lastIndexOf(':');
    await docker.getImage(source).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
  }
  async function run(
    name: string,
    image: string,
    extra: Partial<Docker.ContainerCreateOptions> = {},
  ) {
    const container = await docker.createContainer({
      name,
      Image: image,
      Cmd: ['sleep', '3600'],
      HostConfig: { NetworkMode: 'none', Init: true },
      ...extra,
    });
    await container.start();
  }

  beforeAll(async () => {
    docker = new Docker({ socketPath: inject('dockerSocket') });
    open = await startRegistry();
    locked = await startRegistry(CREDENTIALS);
    const app = `${open.host}/app:1.0`;
    const stable = `${open.host}/stable:1.0`;
    const secret = `${locked.host}/secret:1.0`;
    for (const ref of [app, stable]) {
      await tag('busybox:fixture', ref);
      await push(ref);
    }
    await tag('busybox:fixture', secret);
    await push(secret, { ...CREDENTIALS, serveraddress: locked.host });
    await run('upd-current', stable);
    await run('upd-stale', app, {
      Labels: { 'dockpeek.role': 'anchor', 'dockpeek.anchor-type': 'network' },
    });
    await run('upd-dep', app, { HostConfig: { NetworkMode: 'container:upd-stale', Init: true } });
    await run('upd-auth', secret);
    // A new image under the same tag in the registry: what a maintainer's release does.
    const builder = await docker.createContainer({
      Image: 'busybox:fixture',
      Cmd: ['sh', '-c', 'echo 2 > /release'],
    });
    await builder.start();
    await builder.wait();
    const running = (await docker.getImage(app).inspect()).Id;
    await builder.commit({ repo: `${open.host}/app`, tag: '1.0' });
    await builder.remove();
    await push(app);
    // The release happened elsewhere: locally the tag still names the running image.
    await tag(running, app);
    proxy = await startRecordingProxy(path.join(dataDir, 'proxy.sock'), inject('dockerSocket'));
    env = {
      DOCKER_HOST: `unix://${proxy.socket}`,
      DOCKER_HOST_NAME: 'lab',
      DOCKPEEK_DATA_DIR: dataDir,
    };
    expect((await runCli(['snapshot'], env)).exitCode).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const name of CONTAINERS)
      await docker
        .getContainer(name)
        .remove({ force: true })
        .catch(() => {});
    await proxy?.close();
    await open?.stop();
    await locked?.stop();
  });

  const exported = async () =>
    new Map(
      (
        JSON.parse((await runCli(['export'], env)).stdout).containers as Array<{
          name: string;
          update?: { status: string; reason?: string };
        }>
      ).map((c) => [c.name, c.update]),
    );
  const distributionCalls = () => proxy.requests.filter((r) => r.url.startsWith('/distribution/'));

  it('finds the update, the current image, and why the others are unknown', async () => {
    proxy.requests.length = 0;
    const run = await runCli(['updates'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const updates = await exported();
    expect(updates.get('upd-stale')).toEqual({ status: 'update_available' });
    expect(updates.get('upd-dep')).toEqual({ status: 'update_available' });
    expect(updates.get('upd-current')).toEqual({ status: 'up_to_date' });
    expect(updates.get('upd-auth')).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/^authentication required/),
    });
    expect(updates.get('gluetun')).toEqual({
      status: 'unknown',
      reason: 'local-only image (built or imported here, no repo digest)',
    });
    expect(proxy.requests.every((r) => r.method === 'GET')).toBe(true);
    // One question per checkable reference (app, stable, secret), none for local-only images.
    expect(distributionCalls()).toHaveLength(3);
    expect(run.stderr).toMatch(
      /^updates: of \d+ image references, 1 have an update, 1 are up to date, \d+ unknown; 3 registry request\(s\), 0 reused/m,
    );
  });

  it('asks nothing again within the TTL', async () => {
    proxy.requests.length = 0;
    const run = await runCli(['updates'], env);
    // The authentication failure is reused too: unknown results are kept for up to 30 minutes.
    expect(run.stderr).toMatch(/; 0 registry request\(s\), 3 reused/);
    expect(distributionCalls()).toHaveLength(0);
  });

  it('records a stopped registry as unknown and completes', async () => {
    await open.stop();
    const run = await runCli(['updates', '--force'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const updates = await exported();
    expect(updates.get('upd-stale')).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/^registry unreachable/),
    });
    expect(updates.get('upd-current')).toMatchObject({
      status: 'unknown',
      reason: expect.stringMatching(/^registry unreachable/),
    });
  });
});
