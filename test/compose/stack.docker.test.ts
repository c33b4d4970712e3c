// The compose stack (compose.yaml) on a real engine, as a homelab runs it: the image built from
// this checkout on local base images (nothing is pulled here), Docker Compose v5, the
// acceptance homelab beside it plus the real-Trivy case images, and a Trivy DB mirror (a real
// registry) the stack's Trivy downloads from. See issue 27 and docs/deployment.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { composeAvailable, ensureBaseImages, type BaseImages } from '../helpers/base-images.ts';
import { startDockerd, waitFor, type TestDaemon } from '../helpers/dockerd.ts';
import { createHomelab, importImage } from '../helpers/homelab.ts';
import { findClosedPort } from '../helpers/recording-proxy.ts';
import { carryAll } from '../real-trivy/carried.ts';
import { CASES } from '../real-trivy/cases.ts';
import {
  DB_LAYER,
  JAVA_DB_LAYER,
  buildDb,
  javaDbTarGz,
  pushArtifact,
  tarGz,
} from '../real-trivy/db.ts';
import { createContainer } from '../real-trivy/lab.ts';
import { buildRootfs } from '../real-trivy/rootfs.ts';
import { realTools } from '../real-trivy/tools.ts';
import { ensureDockpeekImage } from './dockpeek-image.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FEEDS = path.join(ROOT, 'test/fixtures/feeds');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const PROJECT = 'dpk-stack-test';
/** The stack's network, fixed so the DB mirror can listen on its gateway before the app starts. */
const SUBNET = '10.213.7.0/24';
const GATEWAY = '10.213.7.1';
const MINUTE = 60_000;

const tools = realTools();
const ready = Boolean(tools) && composeAvailable();

interface Exported {
  snapshotAt: string;
  containers: Array<{ name: string; security: { status: string; findings: number | null } }>;
}

describe.skipIf(!ready)('the compose stack on a real engine', () => {
  let daemon: TestDaemon;
  let registry: { stop(): void } | undefined;
  let work: string;
  let env: Record<string, string>;
  let webUrl: string;
  let caseNames: string[];
  const timings: Record<string, number> = {};

  const compose = (args: string[], options: { timeoutMs?: number } = {}) =>
    execa(
      'docker',
      ['compose', '-p', PROJECT, '-f', 'compose.yaml', '-f', path.join(work, 'test.yaml'), ...args],
      {
        cwd: ROOT,
        env,
        timeout: options.timeoutMs ?? 10 * MINUTE,
      },
    );
  /** Run in the app container (its own user, read-only root) and return stdout. */
  const inApp = async (...command: string[]) =>
    (await compose(['exec', '-T', 'dockpeek', ...command])).stdout;
  const exportState = async () =>
    JSON.parse(await inApp('dockpeek-security', 'export')) as Exported;
  const appContainer = async () =>
    daemon.docker.getContainer((await compose(['ps', '-q', 'dockpeek'])).stdout.trim()).inspect();
  const archived = async () =>
    (await inApp('ls', '/data/archive'))
      .split('\n')
      .filter((name) => name.endsWith('.json.gz') || name.endsWith('.json'));
  /** Wait for a refresh that took its snapshot after `since` and let go of the lock. */
  const refreshedSince = (since: number, ms: number) =>
    waitFor(
      async () => {
        const state = await exportState();
        if (Date.parse(state.snapshotAt) <= since) return false;
        return await compose(['exec', '-T', 'dockpeek', 'test', '!', '-e', '/data/.run.lock']).then(
          () => true,
          () => false,
        );
      },
      ms,
      `no refresh completed since ${new Date(since).toISOString()}`,
    );

  beforeAll(async () => {
    const started = Date.now();
    work = mkdtempSync(path.join(tmpdir(), 'dpk-stack-'));
    daemon = await startDockerd(mkdtempSync('/tmp/dpk-stack-d-'));
    const bases: BaseImages = await ensureBaseImages(daemon.socket);
    timings.baseImagesSeconds = Math.round((Date.now() - started) / 1000);
    const image = await ensureDockpeekImage(daemon.socket, bases);
    timings.imageSeconds = image.seconds;
    console.log(
      `compose stack: base images in ${timings.baseImagesSeconds} s, image ${image.how} in ${image.seconds} s`,
    );
    // The acceptance homelab, and the real-Trivy cases: images whose packages the DB knows.
    await createHomelab(daemon.docker, daemon.dir);
    const carried = carryAll(CASES);
    for (const c of carried) {
      await importImage(daemon.docker, buildRootfs(work, c), c.image.ref);
      await createContainer(daemon, c.image);
    }
    caseNames = carried.map((c) => c.image.name);
    const port = await findClosedPort();
    webUrl = `http://127.0.0.1:${await findClosedPort()}`;
    writeFileSync(
      path.join(work, 'test.yaml'),
      [
        'networks:',
        '  default:',
        '    ipam:',
        `      config: [{ subnet: '${SUBNET}', gateway: '${GATEWAY}' }]`,
        'services:',
        '  dockpeek:',
        '    environment:',
        `      TRIVY_DB_REPOSITORY: '${GATEWAY}:${port}/aquasec/trivy-db:2'`,
        `      TRIVY_JAVA_DB_REPOSITORY: '${GATEWAY}:${port}/aquasec/trivy-java-db:1'`,
        "      TRIVY_INSECURE: 'true'",
        '      DOCKPEEK_KEV_URL: /feeds/known_exploited_vulnerabilities.json',
        '      DOCKPEEK_EPSS_URL: /feeds/epss-made-up-small.csv',
        '    volumes:',
        `      - '${FEEDS}:/feeds:ro'`,
        '',
      ].join('\n'),
    );
    env = {
      ...(process.env as Record<string, string>),
      DOCKER_HOST: `unix://${daemon.socket}`,
      DOCKPEEK_IMAGE: image.ref,
      NGINX_IMAGE: bases.nginx,
      SOCKET_PROXY_IMAGE: bases.socketProxy,
      // Debian's haproxy image has no wget: bash asks for /_ping.
      SOCKET_PROXY_HEALTHCHECK: `bash -c 'exec 3<>/dev/tcp/127.0.0.1/2375 && printf "GET /_ping HTTP/1.0\\r\\n\\r\\n" >&3 && grep -q OK <&3'`,
      DOCKER_SOCKET: daemon.socket,
      DOCKPEEK_WEB_PORT: new URL(webUrl).port,
      DOCKPEEK_EVERY: '1m',
      DOCKPEEK_HEALTH_INTERVAL: '5s',
    };
    // The network first, then the DB mirror on its gateway, then the stack.
    await compose(['up', '--no-start', '--pull', 'never', '--no-build']);
    registry = await startMirror(`${GATEWAY}:${port}`, work);
    const dbDir = buildDb(tools!, carried);
    const host = `${GATEWAY}:${port}`;
    await pushArtifact(host, 'aquasec/trivy-db:2', {
      data: tarGz(dbDir, ['trivy.db', 'metadata.json']),
      mediaType: DB_LAYER,
      title: 'db.tar.gz',
    });
    await pushArtifact(host, 'aquasec/trivy-java-db:1', {
      data: javaDbTarGz(),
      mediaType: JAVA_DB_LAYER,
      title: 'javadb.tar.gz',
    });
    const up = Date.now();
    await compose(['up', '-d', '--pull', 'never', '--no-build']);
    await waitFor(
      async () => (await fetch(`${webUrl}/index.html`)).status === 200,
      20 * MINUTE,
      'the site was never published',
    );
    timings.upToFirstSiteSeconds = Math.round((Date.now() - up) / 1000);
    console.log(
      `compose stack: docker compose up -d to the first published site: ${timings.upToFirstSiteSeconds} s`,
    );
  }, 60 * MINUTE);

  afterAll(async () => {
    if (work && daemon) {
      const logs = await compose(['logs', '--no-color', 'dockpeek']).catch(() => null);
      if (logs) writeFileSync(path.join(work, 'dockpeek.log'), logs.stdout);
      await compose(['down', '-v', '--timeout', '5']).catch(() => undefined);
    }
    registry?.stop();
    await daemon?.stop();
  }, 5 * MINUTE);

  it(
    'becomes healthy, and its refresh logs one line per stage',
    async () => {
      await waitFor(
        async () => (await appContainer()).State.Health?.Status === 'healthy',
        5 * MINUTE,
        'dockpeek never became healthy',
      );
      expect(await inApp('dockpeek-security', 'status', '--every', '1m')).toMatch(
        /^healthy: last refresh/,
      );
      const log = (await compose(['logs', '--no-color', '--no-log-prefix', 'dockpeek'])).stdout;
      for (const stage of ['snapshot', 'scan', 'archive', 'build'])
        expect(log, `a line for ${stage}`).toMatch(new RegExp(`^${stage}\\b.*$`, 'm'));
      expect(log).toMatch(/^refresh: done in /m);
    },
    6 * MINUTE,
  );

  it('publishes, through web, every container with real Trivy results', async () => {
    const state = await exportState();
    const listed = (await daemon.docker.listContainers({ all: true }))
      .filter((c) => c.Labels['dockpeek.hide'] !== 'true')
      .map((c) => c.Names[0]!.slice(1))
      .sort();
    expect(state.containers.map((c) => c.name).sort()).toEqual(listed);
    const byName = new Map(state.containers.map((c) => [c.name, c]));
    // The case images carry packages the DB has advisories for: Trivy found them.
    for (const name of caseNames) {
      expect(byName.get(name)?.security.status, name).toBe('scanned');
      expect(byName.get(name)?.security.findings, name).toBeGreaterThan(0);
    }
    // The stack's own images are Debian: scanned too, from the same DB.
    for (const name of listed.filter((n) => n.startsWith(`${PROJECT}-`)))
      expect(byName.get(name)?.security.status, name).toBe('scanned');
    const response = await fetch(`${webUrl}/index.html`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    for (const name of listed) expect(html, name).toContain(name.slice(0, 40));
  });

  it('renders in Chromium with 0 console errors and 0 CSP violations', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`CSP violation: ${e.violatedDirective}`),
        );
      });
      await page.goto(`${webUrl}/index.html`, { waitUntil: 'load' });
      for (const name of caseNames)
        expect(await page.locator('tr[data-row]', { hasText: name }).count(), name).toBeGreaterThan(
          0,
        );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'compose-stack.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it(
    'loses nothing when dockpeek is restarted mid-refresh',
    async () => {
      const before = await exportState();
      const archiveBefore = await archived();
      // A refresh runs every minute: restart while one holds the lock.
      await waitFor(
        async () =>
          await compose(['exec', '-T', 'dockpeek', 'test', '-e', '/data/.run.lock']).then(
            () => true,
            () => false,
          ),
        3 * MINUTE,
        'no refresh started',
      );
      const restarted = Date.now();
      await compose(['restart', 'dockpeek']);
      await refreshedSince(restarted, 10 * MINUTE);
      const after = await exportState();
      expect(
        after.containers.map((c) => [c.name, c.security.status, c.security.findings]).sort(),
      ).toEqual(
        before.containers.map((c) => [c.name, c.security.status, c.security.findings]).sort(),
      );
      const archiveAfter = await archived();
      for (const name of archiveBefore) expect(archiveAfter).toContain(name);
      expect(await inApp('dockpeek-security', 'status', '--every', '1m')).toMatch(/^healthy/);
      expect((await fetch(`${webUrl}/index.html`)).status).toBe(200);
    },
    15 * MINUTE,
  );

  it(
    'keeps the history across docker compose down && up -d',
    async () => {
      const archiveBefore = await archived();
      expect(archiveBefore.length).toBeGreaterThan(1);
      await compose(['down', '--timeout', '30']);
      const up = Date.now();
      await compose(['up', '-d', '--pull', 'never', '--no-build']);
      await refreshedSince(up, 10 * MINUTE);
      const archiveAfter = await archived();
      for (const name of archiveBefore) expect(archiveAfter).toContain(name);
      expect(archiveAfter.length).toBeGreaterThan(archiveBefore.length);
    },
    15 * MINUTE,
  );

  it('has a socket proxy that refuses a POST from inside the network', async () => {
    const ask = (method: string, url: string) =>
      inApp(
        'node',
        '-e',
        `fetch(${JSON.stringify(url)}, { method: ${JSON.stringify(method)}, headers: { 'content-type': 'application/json' }, ${method === 'POST' ? `body: '{"Image":"busybox:fixture"}'` : ''} }).then((r) => console.log(r.status))`,
      );
    expect(await ask('GET', 'http://socket-proxy:2375/containers/json')).toBe('200');
    expect(await ask('POST', 'http://socket-proxy:2375/containers/create?name=dpk-intruder')).toBe(
      '403',
    );
    expect(await ask('POST', 'http://socket-proxy:2375/containers/gluetun/stop')).toBe('403');
    const names = (await daemon.docker.listContainers({ all: true })).map((c) => c.Names[0]);
    expect(names).not.toContain('/dpk-intruder');
    expect((await daemon.docker.getContainer('gluetun').inspect()).State.Running).toBe(true);
  });

  it('runs the app without a Docker socket, as a non-root user, on a read-only root', async () => {
    const app = await appContainer();
    console.log(
      'docker inspect dockpeek:',
      JSON.stringify({
        User: app.Config.User,
        ReadonlyRootfs: app.HostConfig.ReadonlyRootfs,
        Mounts: app.Mounts.map((m) => ({
          Type: m.Type,
          Source: m.Name ?? m.Source,
          Destination: m.Destination,
          RW: m.RW,
        })),
        Tmpfs: app.HostConfig.Tmpfs,
      }),
    );
    expect(app.HostConfig.ReadonlyRootfs).toBe(true);
    expect(app.Config.User).toBe('10001:10001');
    expect(await inApp('id', '-u')).toBe('10001');
    // The three volumes of compose.yaml and this test's feed files (read-only); /tmp is a tmpfs
    // (HostConfig.Tmpfs), not a mount.
    expect(app.Mounts.map((m) => [m.Destination, m.RW]).sort()).toEqual([
      ['/cache', true],
      ['/data', true],
      ['/feeds', false],
      ['/site', true],
    ]);
    expect(Object.keys(app.HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
    for (const m of app.Mounts) expect(m.Source ?? '').not.toMatch(/docker\.sock/);
    await expect(
      compose(['exec', '-T', 'dockpeek', 'test', '-e', '/var/run/docker.sock']),
    ).rejects.toThrow();
    await expect(compose(['exec', '-T', 'dockpeek', 'touch', '/app/x'])).rejects.toThrow(
      /Read-only file system/,
    );
  });
});

/** A registry (Debian's docker-registry) on `addr`: the stack's Trivy DB mirror. */
async function startMirror(addr: string, dir: string): Promise<{ stop(): void }> {
  const config = path.join(dir, 'registry.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/registry\nhttp:\n  addr: ${addr}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  await waitFor(
    async () => (await fetch(`http://${addr}/v2/`)).status === 200,
    20_000,
    `no registry on ${addr}`,
  );
  return { stop: () => child.kill('SIGTERM') };
}
