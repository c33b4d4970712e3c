import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { STANDIN, isServer, readInvocations } from '../helpers/standin.ts';

// The stand-in's client/server mode must behave like Trivy's where DockPeek depends on it (its
// README says which documentation and source each behaviour comes from).

const IMAGES = {
  'a:1': { report: 'debian-buster', ms: 10, layers: ['base', 'a-app'] },
  'b:1': { report: 'centos-7', ms: 10, layers: ['base', 'b-app'] },
};

function setup(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-sis-'));
  const config = path.join(dir, 'standin.json');
  writeFileSync(config, JSON.stringify({ images: IMAGES, dbDownloadMs: 10, ...extra }));
  const log = path.join(dir, 'trivy.log');
  const env = { DPK_STANDIN_CONFIG: config, DPK_STANDIN_LOG: log, HOME: dir };
  const cache = path.join(dir, 'server-cache');
  return { dir, log, env, cache };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const servers: ResultPromise[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.kill('SIGKILL');
    await server.catch(() => {});
  }
});

/** Start `trivy server` and wait until it answers /healthz (or exits). */
async function startServer(
  t: ReturnType<typeof setup>,
  token: string,
  extraArgs: string[] = [],
): Promise<string> {
  const port = await freePort();
  const server = execa(
    STANDIN,
    ['server', '--listen', `127.0.0.1:${port}`, '--cache-dir', t.cache, ...extraArgs],
    { env: { ...t.env, TRIVY_TOKEN: token }, reject: false },
  );
  servers.push(server);
  let exited = false;
  void server.finally(() => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const answer = await fetch(`${url}/healthz`).then(
      (r) => r.text(),
      () => undefined,
    );
    if (answer === 'ok') return url;
    if (exited) throw new Error(`server exited: ${(await server).stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const scan = (t: ReturnType<typeof setup>, url: string, ref: string, token: string) =>
  execa(STANDIN, ['image', '--format', 'json', '--quiet', '--server', url, '--', ref], {
    env: { ...t.env, TRIVY_TOKEN: token },
    reject: false,
  });

const analysed = (log: string, ref: string) =>
  readInvocations(log)
    .filter((c) => c.argv.at(-1) === ref && c.argv[0] === 'image')
    .map((c) => c.layers?.analysed);

describe('trivy stand-in: server and client', () => {
  it('answers /healthz without a token, analyses only the layers the server lacks, and keeps them across a restart', async () => {
    const t = setup();
    let url = await startServer(t, 'tok');
    expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    const first = await scan(t, url, 'a:1', 'tok');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ArtifactName: 'a:1', SchemaVersion: 2 });
    // The base layer is shared: b:1 analyses only its own.
    expect((await scan(t, url, 'b:1', 'tok')).exitCode).toBe(0);
    expect(analysed(t.log, 'a:1')).toEqual([['base', 'a-app']]);
    expect(analysed(t.log, 'b:1')).toEqual([['b-app']]);

    servers.pop()!.kill('SIGTERM');
    url = await startServer(t, 'tok', ['--skip-db-update']);
    const again = await scan(t, url, 'a:1', 'tok');
    expect(again.exitCode).toBe(0);
    expect(analysed(t.log, 'a:1')).toEqual([['base', 'a-app'], []]);
    // Same findings from the cached layers as from the analysed ones.
    expect(JSON.parse(again.stdout).Results).toEqual(JSON.parse(first.stdout).Results);
  });

  it('fails like the real client on a wrong token and on a server that is down', async () => {
    const t = setup();
    const url = await startServer(t, 'right');
    const wrong = await scan(t, url, 'a:1', 'wrong');
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(
      /^\S+\tFATAL\tFatal error\trun error: image scan error: scan error: scan failed: failed analysis: unable to get missing layers: unable to fetch missing layers: twirp error unauthenticated: invalid token$/,
    );
    const port = await freePort();
    const down = await scan(t, `http://127.0.0.1:${port}`, 'a:1', 'right');
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain(
      `unable to fetch missing layers: twirp error internal: failed to do request: Post "http://127.0.0.1:${port}/twirp/trivy.cache.v1.Cache/MissingBlobs": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    );
  });

  it('downloads the DB itself unless --skip-db-update, which fails on an empty cache', async () => {
    const t = setup();
    const port = await freePort();
    const args = ['server', '--listen', `127.0.0.1:${port}`, '--cache-dir', t.cache];
    const first = await execa(STANDIN, [...args, '--skip-db-update'], {
      env: t.env,
      reject: false,
    });
    expect(first.exitCode).toBe(1);
    expect(first.stderr).toMatch(
      /\tFATAL\tFatal error\tdatabase error: --skip-db-update cannot be specified on the first run$/,
    );
    const offline = setup({ offline: true });
    const failed = await execa(STANDIN, args, { env: offline.env, reject: false });
    expect(failed.stderr).toContain('\tfailed to download vulnerability DB: ');
    expect(existsSync(path.join(t.cache, 'db', 'trivy.db'))).toBe(false);
    await startServer(t, '');
    expect(existsSync(path.join(t.cache, 'db', 'trivy.db'))).toBe(true);
    expect(readInvocations(t.log).filter(isServer).at(-1)).toMatchObject({
      server: true,
      listening: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
  });

  it('refuses a second server on the same cache dir after 5 s, as the fs cache lock does', async () => {
    const t = setup();
    await startServer(t, 'tok');
    const port = await freePort();
    const second = await execa(
      STANDIN,
      ['server', '--listen', `127.0.0.1:${port}`, '--cache-dir', t.cache, '--skip-db-update'],
      { env: t.env, reject: false },
    );
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(
      /\tFATAL\tFatal error\tserver cache error: unable to initialize fs cache: cache may be in use by another process: timeout$/,
    );
  });

  it('without --server: the fs backend keeps analysed layers in --cache-dir, the memory backend nothing', async () => {
    const t = setup();
    const local = (backend: string) =>
      execa(
        STANDIN,
        ['image', '--format', 'json', '--cache-dir', t.cache, '--cache-backend', backend, 'a:1'],
        { env: t.env, reject: false },
      );
    for (const backend of ['fs', 'fs', 'memory', 'memory'])
      expect((await local(backend)).exitCode).toBe(0);
    expect(analysed(t.log, 'a:1')).toEqual([
      ['base', 'a-app'],
      [],
      ['base', 'a-app'],
      ['base', 'a-app'],
    ]);
  });
});
