import { existsSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { runCli } from '../helpers/cli.ts';
import { startNginx, type TestNginx } from '../helpers/nginx.ts';
import { createRefreshEnv } from '../helpers/refresh-env.ts';
import { isRunning, readInvocations } from '../helpers/standin.ts';

const BIN = path.resolve('bin/dockpeek-security.mjs');

/** Start a refresh in the background, as cron would. */
function startRefresh(env: Record<string, string>, args: string[] = []) {
  return execa(process.execPath, [BIN, 'refresh', ...args], {
    env: { PATH: process.env.PATH!, NO_COLOR: '1', ...env },
    extendEnv: false,
    reject: false,
  });
}

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readDb = (dataDir: string) =>
  DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
const sitePage = (siteDir: string) => readFileSync(path.join(siteDir, 'index.html'), 'utf8');

describe('refresh: snapshot → scan → build → publish', () => {
  it('runs the stages and says so, one line each', async () => {
    const t = createRefreshEnv();
    const run = await runCli(['refresh'], t.env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^snapshot: 17 containers from 1\/1 hosts saved to /m);
    expect(run.stderr).toMatch(
      /^scan: 6 scanned this run \(trivy 0\.68\.2, private server cache, 3 workers\): 6 ok, 0 failed; 0 reused from cache, 1 skipped/m,
    );
    expect(run.stderr).toMatch(
      /^archive: snapshot archived; 0 old snapshot\(s\) and 0 unused findings file\(s\) pruned$/m,
    );
    expect(run.stderr).toMatch(/^build: \d+ pages, \d+ KiB, published to /m);
    expect(run.stderr).toMatch(/^refresh: done in /m);
    expect(readlinkSync(t.siteDir)).toMatch(/^site\.releases\/\d{4}-/);
    expect(sitePage(t.siteDir)).toContain('gluetun');
  });

  it('lets only one refresh run at a time; the second says why, or waits with --wait', async () => {
    const t = createRefreshEnv({ 'qmcgaw/gluetun:v3.39.1': { report: 'alpine-310', ms: 2500 } });
    const first = startRefresh(t.env);
    await until(() => existsSync(path.join(t.dataDir, '.run.lock')));
    const second = await runCli(['refresh'], t.env);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(
      /error: another run holds .*: refresh \(pid \d+ on .*, started .*\) \[locked\]/,
    );
    expect(second.stderr).toContain('pass --wait to queue behind it');
    const waiting = await runCli(['refresh', '--wait', '2m'], t.env);
    expect(waiting.exitCode, waiting.stderr).toBe(0);
    expect(waiting.stderr).toMatch(/^waiting for refresh \(pid \d+/m);
    expect((await first).exitCode).toBe(0);
  });

  it('survives SIGKILL mid-scan: db.json valid, site intact, the next refresh takes the lock over and kills the trivy it left', async () => {
    const t = createRefreshEnv();
    expect((await runCli(['refresh'], t.env)).exitCode).toBe(0);
    const published = sitePage(t.siteDir);
    t.writeConfig({ 'qmcgaw/gluetun:v3.39.1': { report: 'debian-buster', ms: 30_000 } });
    const victim = startRefresh(t.env, ['--force']);
    await until(
      () =>
        readInvocations(t.log).length > 0 && readFileSync(t.log, 'utf8').split('\n').length > 12,
    );
    await until(
      () =>
        readDb(t.dataDir).scans &&
        Object.values(readDb(t.dataDir).scans).some((s) => s.status === 'pending'),
    );
    // The 30 s trivy must be running when the kill comes (the queue order may start it last).
    const running = path.join(t.dataDir, '.trivy-running');
    const cmdline = (pid: string) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        return ''; // exited meanwhile
      }
    };
    await until(() =>
      (existsSync(running) ? readdirSync(running) : []).some((pid) =>
        cmdline(pid).includes('qmcgaw/gluetun'),
      ),
    );
    victim.kill('SIGKILL');
    await victim;
    expect(Object.values(readDb(t.dataDir).scans).some((s) => s.status === 'pending')).toBe(true);
    expect(sitePage(t.siteDir)).toBe(published);
    // Its trivy (30 s) outlives it: a killed parent cannot kill the groups it started.
    const orphans = readdirSync(path.join(t.dataDir, '.trivy-running'))
      .map(Number)
      .filter(isRunning);
    expect(orphans.length).toBeGreaterThan(0);
    // The next run reads its own stand-in config: a trivy the victim spawned just before the kill
    // may still be starting, and must read the victim's config (30 s), not a fast one.
    const nextConfig = `${t.env.DPK_STANDIN_CONFIG}.next`;
    t.writeConfig({}, nextConfig);
    const next = await runCli(['refresh', '--force'], {
      ...t.env,
      DPK_STANDIN_CONFIG: nextConfig,
    });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      /killed [1-9]\d* trivy process group\(s\) left running by a scan that was killed/,
    );
    expect(orphans.filter(isRunning)).toEqual([]);
    expect(readdirSync(path.join(t.dataDir, '.trivy-running'))).toEqual([]);
    expect(Object.values(readDb(t.dataDir).scans).map((s) => s.status)).not.toContain('pending');
    expect(existsSync(path.join(t.dataDir, '.run.lock'))).toBe(false);
  });

  it('survives SIGKILL mid-build: the published release stays, the half-built one is cleaned up', async () => {
    const t = createRefreshEnv();
    expect((await runCli(['refresh'], t.env)).exitCode).toBe(0);
    const release = readlinkSync(t.siteDir);
    const published = sitePage(t.siteDir);
    const releases = `${t.siteDir}.releases`;
    const victim = startRefresh(t.env);
    await until(() => readdirSync(releases).some((e) => e.startsWith('.building-')));
    victim.kill('SIGKILL');
    await victim;
    expect(readlinkSync(t.siteDir)).toBe(release);
    expect(sitePage(t.siteDir)).toBe(published);
    expect(() => readDb(t.dataDir)).not.toThrow();
    const next = await runCli(['refresh'], t.env);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(readdirSync(releases).filter((e) => e.startsWith('.building-'))).toEqual([]);
    expect(readlinkSync(t.siteDir)).not.toBe(release);
  });

  it('moves a corrupt db.json aside, says so, and completes', async () => {
    const t = createRefreshEnv();
    expect((await runCli(['refresh'], t.env)).exitCode).toBe(0);
    writeFileSync(path.join(t.dataDir, 'db.json'), '{"schemaVersion":1,"snapshot":');
    const run = await runCli(['refresh'], t.env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('db.json was unreadable (not valid JSON');
    expect(run.stderr).toContain('Restored the newest archived snapshot');
    expect(readdirSync(t.dataDir).filter((f) => f.startsWith('db.json.corrupt-'))).toHaveLength(1);
    // The scans came back with the archive: nothing had to be rescanned.
    expect(run.stderr).toMatch(/^scan: 0 scanned this run/m);
  });
});

describe('refresh under load: nginx never serves a broken page', () => {
  let nginx: TestNginx;
  const t = createRefreshEnv();
  beforeAll(async () => {
    expect((await runCli(['refresh'], t.env)).exitCode).toBe(0);
    nginx = await startNginx(t.siteDir);
  }, 120_000);
  afterAll(() => nginx.stop());

  it('6 back-to-back refreshes while a client reads continuously: zero non-200, zero truncated', async () => {
    let done = false;
    const failures: string[] = [];
    let requests = 0;
    const home = await (await fetch(`${nginx.url}/index.html`)).text();
    const imagePage = /href="(images\/[0-9a-f]{16}\.html)"/.exec(home)![1];
    const client = (async () => {
      const paths = ['/index.html', '/history.html', `/${imagePage}`];
      while (!done && requests < 100_000) {
        const p = paths[requests % paths.length]!;
        requests += 1;
        const response = await fetch(`${nginx.url}${p}`).catch((e: Error) => ({
          status: 0,
          text: async () => e.message,
        }));
        const body = await response.text();
        if (response.status !== 200) failures.push(`${p}: HTTP ${response.status}`);
        else if (!body.trimEnd().endsWith('</html>'))
          failures.push(`${p}: truncated (${body.length} bytes)`);
      }
    })();
    const codes: number[] = [];
    // Six swaps are enough to rotate past the 3 kept releases twice (pruning while read).
    for (let i = 0; i < 6; i++) codes.push((await runCli(['refresh'], t.env)).exitCode);
    done = true;
    await client;
    expect(codes).toEqual(Array(6).fill(0));
    expect(requests).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    expect(readdirSync(`${t.siteDir}.releases`).filter((e) => !e.startsWith('.'))).toHaveLength(3);
  }, 300_000);
});

describe('history across an image update', () => {
  const t = createRefreshEnv({ 'dpk/webapp:1': { report: 'debian-buster', ms: 50 } });
  const docker = () =>
    import('dockerode').then(
      ({ default: Docker }) => new Docker({ socketPath: inject('dockerSocket') }),
    );

  afterAll(async () => {
    await (
      await docker()
    )
      .getContainer('webapp')
      .remove({ force: true })
      .catch(() => {});
  });

  it('diffs new and fixed CVEs, and draws two points', async () => {
    const d = await docker();
    const create = async (tag: string) => {
      await d.getImage('busybox:fixture').tag({ repo: 'dpk/webapp', tag: 'x' });
      // A distinct image id under the same reference, as a pulled update gives.
      const container = await d.createContainer({
        Image: 'busybox:fixture',
        Cmd: ['sh', '-c', `echo ${tag} > /v`],
      });
      await container.start();
      await container.wait();
      await container.commit({ repo: 'dpk/webapp', tag: '1' });
      await container.remove();
      await d
        .getContainer('webapp')
        .remove({ force: true })
        .catch(() => {});
      const app = await d.createContainer({
        name: 'webapp',
        Image: 'dpk/webapp:1',
        Cmd: ['sleep', '3600'],
        HostConfig: { NetworkMode: 'none', Init: true },
      });
      await app.start();
    };
    await create('one');
    expect((await runCli(['refresh'], t.env)).exitCode).toBe(0);
    await create('two');
    t.writeConfig({ 'dpk/webapp:1': { report: 'centos-7', ms: 50 } });
    const second = await runCli(['refresh'], t.env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/^scan: 1 scanned this run/m);

    const historyDir = path.join(t.siteDir, 'history');
    const pages = readdirSync(historyDir).sort();
    expect(pages).toHaveLength(2);
    const diff = readFileSync(path.join(historyDir, pages[1]!), 'utf8');
    const row = /<tr data-ref="dpk\/webapp:1"[^]*?<\/tr>/.exec(diff)![0];
    expect(row).toContain('updated');
    // centos-7's CVEs are new; debian-buster's are fixed.
    for (const id of ['CVE-2019-1559', 'CVE-2018-0734'])
      expect(row.indexOf(id)).toBeLessThan(row.indexOf('class="fixed"'));
    expect(row.slice(row.indexOf('class="fixed"'))).toContain('CVE-2019-18224');
    expect(diff).toMatch(
      /lab\/webapp<\/strong>: <span[^>]*>dpk\/webapp:1 \([0-9a-f]{12}\)<\/span> → /,
    );

    const history = readFileSync(path.join(t.siteDir, 'history.html'), 'utf8');
    const criticalDots = /<g class="series s-critical"[^]*?<\/g>/
      .exec(history)![0]
      .match(/<circle/g);
    expect(criticalDots).toHaveLength(2);
  });
});
