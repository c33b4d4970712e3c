import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../pipeline/store/schema.ts';
import { readTree, runCli, type CliResult } from '../helpers/cli.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { demoStore, editDb } from '../helpers/store-fixture.ts';

const TOKEN = 'tk_CliToken_8c1e';
const PASSWORD = 'cli-Hook-Pa55';

const titles = (r: HttpReceiver, p: string) =>
  r.delivered(p).map((q) => (p === '/alerts' ? q.headers.title : JSON.parse(q.body).title));

describe('dockpeek-security notify on a store', () => {
  let receiver: HttpReceiver;
  let dataDir: string;
  let env: Record<string, string>;
  let saved: Db;
  const outputs: CliResult[] = [];
  const notify = async (args: string[] = [], extra: Record<string, string> = {}) => {
    const run = await runCli(['notify', ...args], { ...env, ...extra });
    outputs.push(run);
    return run;
  };
  const stateFile = () => path.join(dataDir, 'notify-state.json');

  beforeAll(async () => {
    receiver = await startReceiver();
    dataDir = await demoStore();
    const host = receiver.url.slice('http://'.length);
    env = {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_NOTIFY_URLS: `ntfy://${TOKEN}@${host}/alerts, json://dockpeek:${PASSWORD}@${host}/hook`,
      DOCKPEEK_PUBLIC_URL: 'https://dash.example/dp/',
    };
    editDb(dataDir, (db) => (saved = structuredClone(db)));
  });
  afterAll(() => receiver.close());

  it('records a baseline on the first run and sends nothing', async () => {
    expect((await notify(['--status'])).stdout).toContain('baseline: none yet');
    const run = await notify();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^notify: baseline recorded \(\d+ images on 3 host\(s\)\); nothing is sent on a first run/m,
    );
    expect((await notify()).stderr).toMatch(
      /^notify: 0 new event\(s\); 0 message\(s\) sent, 2\/2 destination\(s\) up to date$/m,
    );
    expect(receiver.requests).toEqual([]);
  });

  it('previews, then sends each change once to every destination', async () => {
    editDb(dataDir, (db) => {
      const nas = db.snapshot!.hosts.find((h) => h.name === 'nas')!;
      Object.assign(nas, { ok: false, error: 'connection refused (10.0.0.5:2375)' });
      nas.errorCode = 'connection_refused';
      db.snapshot!.containers = db.snapshot!.containers.filter((c) => c.host !== 'nas');
      const authelia = db.snapshot!.containers.find((c) => c.name === 'authelia')!;
      db.scans[authelia.imageId] = {
        ...db.scans[authelia.imageId]!,
        status: 'failed',
        error: { code: 'image_unavailable', message: 'unable to find <b>the image</b>\u0007' },
      };
      db.updates['qmcgaw/gluetun:v3.39.1'] = {
        status: 'update_available',
        ref: 'qmcgaw/gluetun:v3.39.1',
        host: 'server',
        checkedAt: new Date().toISOString(),
        remoteDigest: 'sha256:new-gluetun-release',
        localDigests: [],
      };
    });
    const before = readFileSync(stateFile(), 'utf8');
    const preview = await notify(['--dry-run']);
    expect(preview.exitCode, preview.stderr).toBe(0);
    expect(preview.stdout).toContain('3 new event(s) since');
    expect(preview.stdout).toContain('── Host down: nas  (priority 4; red_circle, dockpeek)');
    expect(preview.stdout).toContain('image_unavailable: unable to find the image\n');
    expect(preview.stdout).toContain('Updating gluetun will affect 4 dependents:');
    expect(readFileSync(stateFile(), 'utf8')).toBe(before);
    expect(receiver.requests).toEqual([]);

    const run = await notify(['--verbose']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^notify: → ntfy:\/\/127\.0\.0\.1:\d+\/… \(#1\): Host down: nas — sent \(HTTP 200, \d+ ms\)\n {4}nas does not answer: connection refused \(10\.0\.0\.5:2375\)$/m,
    );
    expect(run.stderr).toMatch(/^notify: 3 new event\(s\); 6 message\(s\) sent, 2\/2 destination/m);
    const expected = [
      'Host down: nas',
      'Scan failed: authelia/authelia:4.38.17',
      'Update available: gluetun',
    ];
    expect(titles(receiver, '/alerts')).toEqual(expected);
    expect(titles(receiver, '/hook')).toEqual(expected);
    expect((await notify()).stderr).toMatch(/^notify: 0 new event\(s\); 0 message/m);
    expect(receiver.requests).toHaveLength(6);
  });

  it('keeps events pending for a failing destination, then delivers them once', async () => {
    receiver.setMode('/hook', 'fail');
    editDb(dataDir, (db) => {
      db.snapshot!.hosts = saved.snapshot!.hosts;
      db.snapshot!.containers = saved.snapshot!.containers;
    });
    const failing = await notify();
    expect(failing.exitCode).toBe(2);
    expect(failing.stderr).toMatch(
      /^warning: notify: json:\/\/127\.0\.0\.1:\d+\/… \(#2\) failed \[http_error\]: HTTP 500: boom; 1 event\(s\) stay pending \(attempt 1 of 24\)$/m,
    );
    expect(titles(receiver, '/alerts').at(-1)).toBe('Host back: nas');
    const status = await notify(['--status']);
    expect(status.stdout).toContain('pending: 1 event(s)\n  - Host back: nas [host_up, seen ');
    expect(status.stdout).toMatch(
      /to json:\/\/127\.0\.0\.1:\d+\/… \(#2\): 1 failed attempt\(s\), last \[http_error\] HTTP 500: boom at /,
    );

    receiver.setMode('/hook', 'ok');
    const retried = await notify();
    expect(retried.exitCode, retried.stderr).toBe(0);
    expect(titles(receiver, '/hook').filter((t) => t === 'Host back: nas')).toHaveLength(1);
    expect(titles(receiver, '/alerts').filter((t) => t === 'Host back: nas')).toHaveLength(1);
    expect((await notify(['--status'])).stdout).toContain('pending: 0 event(s)');
  });

  it('drops an event after the retry cap, with a record --status shows', async () => {
    receiver.setMode('/hook', 'fail');
    editDb(dataDir, (db) => (db.scans = saved.scans));
    const run = await notify([], { DOCKPEEK_NOTIFY_MAX_ATTEMPTS: '1' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('notify: 1 event(s) dropped after 1 attempts');
    const status = await notify(['--status']);
    expect(status.stdout).toContain('pending: 0 event(s)');
    expect(status.stdout).toMatch(
      /dropped: 1 record\(s\)\n {2}- \S+: Scan works again: authelia\/authelia:4\.38\.17 \[scan_recovered\] to json:\/\/127\.0\.0\.1:\d+\/… \(#2\) after 1 attempt\(s\): \[http_error\] HTTP 500: boom/,
    );
    receiver.setMode('/hook', 'ok');
  });

  it('never shows or stores a credential', () => {
    const texts = [
      ...outputs.flatMap((r) => [r.stdout, r.stderr]),
      ...readTree(dataDir).map((f) => f.text),
    ];
    expect(outputs.length).toBeGreaterThan(8);
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PASSWORD);
    }
  });
});
