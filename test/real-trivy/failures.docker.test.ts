// How scans with the real Trivy fail, and that they end: an image removed between snapshot and
// scan, an image export that hangs past TRIVY_SCAN_TIMEOUT, and SIGTERM or SIGKILL in the middle
// of a scan, after which no trivy process is left running.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { waitFor } from '../helpers/dockerd.ts';
import { importImage } from '../helpers/homelab.ts';
import { CASES } from './cases.ts';
import { expectedFindings } from './expected.ts';
import { startRealLab, type RealLab } from './lab.ts';
import { processesOf, startStallingDockerProxy } from './processes.ts';
import { buildRootfs } from './rootfs.ts';
import { readStored } from './stored.ts';
import { realTools } from './tools.ts';

const tools = realTools();
const BIN = path.resolve('bin/dockpeek-security.mjs');
const byName = (name: string) => CASES.find((c) => c.name === name)!;

describe.skipIf(!tools)('the real Trivy: failures, and nothing left running', () => {
  let lab: RealLab;
  let proxy: Awaited<ReturnType<typeof startStallingDockerProxy>>;
  beforeAll(async () => {
    lab = await startRealLab(tools!, [
      byName('nuxt-app'),
      byName('prometheus-mcp'),
      byName('lifelong-api'),
    ]);
    // Image exports of one image hang; the others pass.
    proxy = await startStallingDockerProxy(lab.daemon.socket, /\/images\/get\?names=.*lifelong/);
  });
  afterAll(async () => {
    await proxy?.close();
    await lab?.stop();
  });

  const setup = (extra: Record<string, string> = {}) => {
    const root = mkdtempSync(path.join(tmpdir(), 'dpk-real-fail-'));
    const env: Record<string, string> = { ...lab.env(root), ...extra };
    return { env, dataDir: env.DOCKPEEK_DATA_DIR! };
  };
  const snapshot = async (env: Record<string, string>) => {
    const run = await runCli(['snapshot'], env);
    expect(run.exitCode, run.stderr).toBe(0);
  };
  const scanInBackground = (env: Record<string, string>) =>
    execa(process.execPath, [BIN, 'scan'], {
      env: { PATH: process.env.PATH!, NO_COLOR: '1', ...env },
      extendEnv: false,
      reject: false,
    });

  it("an image export that hangs past TRIVY_SCAN_TIMEOUT: scan_timeout with Trivy's words, the others scanned", async () => {
    const t = setup({ DOCKER_HOST: proxy.url, TRIVY_SCAN_TIMEOUT: '5s' });
    await snapshot(t.env);
    const run = await runCli(['scan'], t.env);
    expect(run.exitCode).toBe(2);
    const stored = readStored(t.dataDir);
    expect(stored.get('lifelong-api')).toMatchObject({
      status: 'failed',
      error: {
        code: 'scan_timeout',
        message: expect.stringContaining('context deadline exceeded'),
      },
    });
    for (const name of ['nuxt-app', 'prometheus-mcp'])
      expect(stored.get(name)?.findings, name).toEqual(
        expectedFindings(lab.carried.find((c) => c.image.name === name)!),
      );
    expect(await processesOf(tools!.trivy)).toEqual([]);
  });

  it('an image removed between snapshot and scan: image_unavailable, with what each source said', async () => {
    const t = setup();
    const ref = 'dpk-real/short-lived:1';
    const docker = lab.daemon.docker;
    const nuxt = lab.carried.find((c) => c.image.name === 'nuxt-app')!;
    const image = { ...nuxt.image, name: 'short-lived', ref };
    await importImage(
      docker,
      buildRootfs(mkdtempSync(path.join(tmpdir(), 'dpk-short-')), { ...nuxt, image }),
      ref,
    );
    const container = await docker.createContainer({
      name: 'short-lived',
      Image: ref,
      Cmd: ['sleep', '3600'],
      HostConfig: { NetworkMode: 'none', Init: true },
    });
    await container.start();
    await snapshot(t.env);
    await container.remove({ force: true });
    await docker.getImage(ref).remove();
    const run = await runCli(['scan'], t.env);
    expect(run.exitCode).toBe(2);
    const stored = readStored(t.dataDir);
    expect(stored.get('short-lived')).toMatchObject({
      status: 'failed',
      error: {
        code: 'image_unavailable',
        message: expect.stringMatching(
          /unable to find the specified image "dpk-real\/short-lived:1" in \["docker" "remote"\][\s\S]*\* docker error: [^\n]*No such image/,
        ),
      },
    });
    expect(stored.get('nuxt-app')?.status).toBe('scanned');
  });

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    '%s in the middle of a scan: no trivy process is left once the next scan starts',
    async (signal) => {
      const t = setup({ DOCKER_HOST: proxy.url, TRIVY_SCAN_TIMEOUT: '10m' });
      await snapshot(t.env);
      proxy.stalled.length = 0;
      const child = scanInBackground(t.env);
      // The hanging export means a trivy client is running (and the private server with it).
      await waitFor(async () => proxy.stalled.length > 0, 60_000, 'no image export started');
      const running = await processesOf(tools!.trivy);
      expect(running.length).toBeGreaterThanOrEqual(2);
      child.kill(signal);
      const result = await child;
      if (signal === 'SIGTERM') {
        expect(result.exitCode).toBe(143);
        expect(await processesOf(tools!.trivy)).toEqual([]);
        return;
      }
      // SIGKILL: nothing could clean up; the next scan kills what the killed one left.
      expect((await processesOf(tools!.trivy)).length).toBeGreaterThan(0);
      const next = await runCli(['scan'], { ...t.env, DOCKER_HOST: `unix://${lab.daemon.socket}` });
      expect(next.stderr).toMatch(
        /killed \d+ trivy process group\(s\) left running by a scan that was killed/,
      );
      expect(next.exitCode, next.stderr).toBe(0);
      expect(await processesOf(tools!.trivy)).toEqual([]);
    },
  );
});
