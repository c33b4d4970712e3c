// The local base images (.ci/base-images.sh) do what the official images they stand in for do:
// Node 24.21.0 with npm, Go 1.26 with GOPATH=/go, nginx in the foreground on port 80, and a socket
// proxy that lets reads of the allowed API sections through and refuses writes and the rest with
// 403. And Docker Compose v5.6.0 is installed as the docker CLI plugin and drives this daemon.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  COMPOSE_VERSION,
  composeAvailable,
  composeBinary,
  ensureBaseImages,
  type BaseImages,
} from '../helpers/base-images.ts';

const run = promisify(execFile);
const socket = inject('dockerSocket');
const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0' };

/** The docker CLI against the tests' private daemon; stdout trimmed. */
async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** A fresh name, so a crashed run's leftovers never collide. */
const name = (what: string) => `dpk-base-${what}-${process.pid}-${Math.floor(performance.now())}`;

let images: BaseImages;
const started: string[] = [];

beforeAll(async () => {
  // The first run on a machine builds everything (debootstrap, apt, npm): minutes.
  images = await ensureBaseImages(socket);
}, 30 * 60_000);

afterAll(async () => {
  for (const id of started) await docker('rm', '-f', id).catch(() => {});
});

/** Run a command in a throwaway container of `image`; its stdout. */
const inImage = (image: string, ...command: string[]) =>
  docker('run', '--rm', '--network', 'none', image, ...command);

/** Start a long-running container; its name. */
async function start(image: string, ...args: string[]): Promise<string> {
  const id = name(image.split(/[/:]/)[1]!);
  await docker('run', '-d', '--name', id, ...args, image);
  started.push(id);
  return id;
}

/** Per target container, a Node container sharing its network namespace (made once). */
const clients = new Map<string, string>();

async function clientOf(target: string): Promise<string> {
  let client = clients.get(target);
  if (!client) {
    client = `${target}-client`;
    await docker(
      'run',
      '-d',
      '--init',
      '--name',
      client,
      '--network',
      `container:${target}`,
      images.node,
      'sleep',
      'infinity',
    );
    started.unshift(client);
    clients.set(target, client);
  }
  return client;
}

/**
 * An HTTP request made by Node from inside `target`'s network namespace (so nothing is published
 * on the machine): status and body.
 */
async function request(
  target: string,
  url: string,
  method = 'GET',
): Promise<{ status: number; body: string }> {
  const script =
    'fetch(process.env.URL, { method: process.env.METHOD, signal: AbortSignal.timeout(20000) })' +
    '.then(async (r) => console.log(JSON.stringify({ status: r.status, body: await r.text() })))' +
    '.catch((e) => { console.error(String(e.cause ?? e)); process.exit(1); })';
  const out = await docker(
    'exec',
    '-e',
    `URL=${url}`,
    '-e',
    `METHOD=${method}`,
    await clientOf(target),
    'node',
    '-e',
    script,
  );
  return JSON.parse(out) as { status: number; body: string };
}

/** Poll until `container` answers on `url`. */
async function waitForHttp(container: string, url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await request(container, url);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

describe('the local base images', () => {
  it('debian is a Debian trixie rootfs', async () => {
    const release = await inImage(images.debian, 'cat', '/etc/os-release');
    expect(release).toMatch(/^VERSION_CODENAME=trixie$/m);
    expect(release).toMatch(/^ID=debian$/m);
  });

  it('node runs Node 24.21.0, with npm and npx on PATH as the official image has them', async () => {
    const out = await inImage(
      images.node,
      'sh',
      '-c',
      'node --version; npm --version; npx --version; ' +
        'for c in node npm npx; do command -v $c; done; id -u node; ' +
        'test -s /etc/ssl/certs/ca-certificates.crt && echo certs',
    );
    const [node, npm, npx, ...rest] = out.split('\n');
    expect(node).toBe('v24.21.0');
    expect(npm).toMatch(/^11\.\d+\.\d+$/);
    expect(npx).toBe(npm);
    expect(rest).toEqual([
      '/usr/local/bin/node',
      '/usr/local/bin/npm',
      '/usr/local/bin/npx',
      '1000',
      'certs',
    ]);
  });

  it('node can `npm ci` a project from its lock file (the build stage of an image)', async () => {
    // No registry here: the one dependency is a tarball `npm pack` made, locked by `npm install`.
    const out = await inImage(
      images.node,
      'sh',
      '-c',
      [
        'set -e',
        'mkdir /dep /app',
        'cd /dep',
        `echo '{"name":"dep","version":"1.0.0","main":"index.js"}' > package.json`,
        `echo 'module.exports = "from dep";' > index.js`,
        'npm pack --silent >/dev/null',
        'cd /app',
        `echo '{"name":"app","version":"1.0.0","private":true}' > package.json`,
        'npm install --offline --no-audit --no-fund /dep/dep-1.0.0.tgz >/dev/null',
        'rm -rf node_modules',
        'npm ci --offline --no-audit --no-fund >/dev/null',
        `node -e 'console.log(require("dep"))'`,
      ].join('\n'),
    );
    expect(out).toBe('from dep');
  });

  it("golang runs this machine's Go 1.26 with GOPATH=/go, has git, and builds a static program", async () => {
    const release = readFileSync('/usr/local/go/VERSION', 'utf8').split('\n')[0]!;
    // One container (each one copies the 400 MB tree on the tests' vfs storage).
    const out = await inImage(
      images.golang,
      'sh',
      '-c',
      'go version; go env GOPATH GOTOOLCHAIN; pwd; git --version; command -v go; stat -c %a /go; ' +
        'mkdir -p /tmp/hello && cd /tmp/hello ' +
        '&& printf "package main\\nimport \\"fmt\\"\\nfunc main() { fmt.Println(\\"hello\\") }\\n" > main.go ' +
        '&& go mod init hello >/dev/null 2>&1 && CGO_ENABLED=0 go build -o /tmp/h . && /tmp/h',
    );
    const lines = out.split('\n');
    expect(lines[0]).toBe(`go version ${release} linux/amd64`);
    expect(release).toMatch(/^go1\.26\./);
    expect(lines.slice(1, 4)).toEqual(['/go', 'local', '/go']);
    expect(lines[4]).toMatch(/^git version 2\./);
    expect(lines.slice(5)).toEqual(['/usr/local/go/bin/go', '1777', 'hello']);
  }, 300_000);

  it('nginx passes `nginx -t` and serves conf.d on port 80 in the foreground', async () => {
    const check = await docker(
      'run',
      '--rm',
      '--network',
      'none',
      images.nginx,
      'sh',
      '-c',
      'nginx -t 2>&1; readlink /var/log/nginx/access.log /var/log/nginx/error.log',
    );
    expect(check).toContain('syntax is ok');
    expect(check).toContain('test is successful');
    expect(check).toMatch(/\/dev\/stdout\n\/dev\/stderr$/);

    const config = await docker('image', 'inspect', '--format', '{{json .Config}}', images.nginx);
    const { Cmd, ExposedPorts, StopSignal } = JSON.parse(config) as {
      Cmd: string[];
      ExposedPorts: Record<string, unknown>;
      StopSignal: string;
    };
    expect(Cmd).toEqual(['nginx', '-g', 'daemon off;']);
    expect(Object.keys(ExposedPorts)).toEqual(['80/tcp']);
    expect(StopSignal).toBe('SIGQUIT');

    // A server of our own in conf.d, on a read-only root with tmpfs where the official image
    // needs them, as compose runs it.
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-base-nginx-'));
    try {
      writeFileSync(
        path.join(dir, 'site.conf'),
        'server { listen 8080; location / { return 200 "from conf.d\\n"; } }\n',
      );
      const web = await start(
        images.nginx,
        '--network',
        'none',
        '--read-only',
        '--tmpfs',
        '/var/cache/nginx',
        '--tmpfs',
        '/run',
        '-v',
        `${dir}:/etc/nginx/conf.d:ro`,
      );
      await waitForHttp(web, 'http://127.0.0.1:8080/');
      expect(await request(web, 'http://127.0.0.1:8080/')).toEqual({
        status: 200,
        body: 'from conf.d\n',
      });
      // Our conf.d replaced the default server: nothing listens on 80 any more.
      await expect(request(web, 'http://127.0.0.1:80/')).rejects.toThrow();
      const logs = await run('docker', ['logs', web], { env });
      expect(logs.stdout).toContain('"GET / HTTP/1.1" 200');
      // Workers run as the image's nginx user (101), as in the official image.
      const top = await docker('top', web, '-eo', 'pid,uid,args');
      expect(top).toMatch(/^\s*\d+\s+101\s+nginx: worker process/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nginx serves its default page on port 80', async () => {
    const web = await start(images.nginx, '--network', 'none');
    await waitForHttp(web, 'http://127.0.0.1/');
    const page = await request(web, 'http://127.0.0.1/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Welcome to nginx');
  });
});

describe('the socket proxy base image', () => {
  /** A proxy on the test daemon's own socket, with `switches` set; its name. */
  const proxy = (...switches: string[]) =>
    start(
      images.socketProxy,
      '--network',
      'none',
      '--read-only',
      '-v',
      `${socket}:/var/run/docker.sock`,
      ...switches.flatMap((s) => ['-e', s]),
    );
  const api = (p: string) => `http://127.0.0.1:2375${p}`;

  it('lets GET /containers/json through with CONTAINERS=1, refuses writes and closed sections', async () => {
    const readOnly = await proxy('CONTAINERS=1', 'IMAGES=1', 'INFO=1');
    await waitForHttp(readOnly, api('/_ping'));

    const list = await request(readOnly, api('/v1.41/containers/json?all=1'));
    expect(list.status).toBe(200);
    const names = (JSON.parse(list.body) as { Names: string[] }[]).flatMap((c) => c.Names);
    expect(names).toContain(`/${readOnly}`);
    expect((await request(readOnly, api('/containers/json'))).status).toBe(200);
    expect((await request(readOnly, api('/v1.41/images/json'))).status).toBe(200);
    expect((await request(readOnly, api('/v1.41/info'))).status).toBe(200);
    expect((await request(readOnly, api('/v1.41/version'))).status).toBe(200); // VERSION=1 by default
    expect((await request(readOnly, api('/_ping'), 'HEAD')).status).toBe(200);

    // POST=0: no write of any kind, in any section, whatever else is open.
    const create = await request(readOnly, api('/v1.41/containers/create'), 'POST');
    expect(create.status).toBe(403);
    for (const [method, p] of [
      ['DELETE', `/v1.41/containers/${readOnly}`],
      ['POST', `/v1.41/containers/${readOnly}/stop`],
      ['POST', '/v1.41/images/create?fromImage=alpine'],
      ['PUT', '/v1.41/containers/x/archive'],
    ] as const)
      expect((await request(readOnly, api(p), method)).status, `${method} ${p}`).toBe(403);

    // Closed sections, also when the path is percent-encoded or has no version prefix.
    for (const p of [
      '/v1.41/secrets',
      '/secrets',
      '/v1.41/%73ecrets',
      '/v1.41/volumes',
      '/v1.41/networks',
      '/v1.41/exec/x/json',
      '/v1.41/system/df',
      '/v1.41/containersx/json',
    ])
      expect((await request(readOnly, api(p))).status, p).toBe(403);
    // Still alive after all that: the refusals came from the proxy, not the engine.
    expect((await request(readOnly, api('/v1.41/containers/json'))).status).toBe(200);
  });

  it('with its defaults opens only _ping, version and events', async () => {
    const defaults = await proxy();
    await waitForHttp(defaults, api('/_ping'));
    expect((await request(defaults, api('/_ping'))).body).toBe('OK');
    expect((await request(defaults, api('/v1.41/version'))).status).toBe(200);
    expect((await request(defaults, api('/v1.41/containers/json'))).status).toBe(403);
    expect((await request(defaults, api('/v1.41/images/json'))).status).toBe(403);
    expect((await request(defaults, api('/v1.41/info'))).status).toBe(403);
  });

  it('passes writes to the engine only with POST=1 and the section open', async () => {
    const writable = await proxy('POST=1', 'CONTAINERS=1', 'VERSION=0');
    await waitForHttp(writable, api('/_ping'));
    // The engine answers (404: no such container), not the proxy.
    const stop = await request(
      writable,
      api('/v1.41/containers/dpk-no-such-container/stop'),
      'POST',
    );
    expect(stop.status).toBe(404);
    expect(stop.body).toContain('No such container');
    expect((await request(writable, api('/v1.41/volumes/create'), 'POST')).status).toBe(403);
    expect((await request(writable, api('/v1.41/version'))).status).toBe(403);
  });
});

describe.skipIf(!composeAvailable())('Docker Compose', () => {
  it(`is v${COMPOSE_VERSION}, as the docker CLI plugin`, async () => {
    const binary = composeBinary();
    const direct = await run(binary, ['version'], { env });
    expect(direct.stdout.trim()).toBe(`Docker Compose version v${COMPOSE_VERSION}`);
    expect(await docker('compose', 'version', '--short')).toBe(COMPOSE_VERSION);
  });

  it('brings a project up on its own network and down again, on the test daemon', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dpk-base-compose-'));
    // Compose's project names are lower case letters, digits, - and _.
    const project = name('compose').toLowerCase();
    const compose = (...args: string[]) =>
      docker('compose', '--project-directory', dir, '-p', project, ...args);
    try {
      const service = (svc: string) => [
        `  ${svc}:`,
        `    image: ${images.debian}`,
        '    command: ["sleep", "infinity"]',
        '    init: true',
      ];
      writeFileSync(
        path.join(dir, 'compose.yaml'),
        ['services:', ...service('app'), ...service('other'), ''].join('\n'),
      );
      await compose('up', '-d', '--wait');
      expect(
        (await compose('ps', '--format', '{{.Service}} {{.State}}')).split('\n').sort(),
      ).toEqual(['app running', 'other running']);
      // The project's default network, with the engine's DNS: services find each other by name.
      expect(await compose('exec', '-T', 'other', 'getent', 'hosts', 'app')).toMatch(/\sapp$/);
      await compose('down', '-t', '1');
      expect(
        await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`),
      ).toBe('');
      expect(await docker('network', 'ls', '-q', '--filter', `name=${project}_default`)).toBe('');
    } finally {
      await compose('down', '-t', '1').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
