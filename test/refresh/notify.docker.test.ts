import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NotifyStateSchema } from '../../pipeline/notify/state-schema.ts';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { readTree, runCli } from '../helpers/cli.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.ts';
import { createRefreshEnv } from '../helpers/refresh-env.ts';
import { REPORTS } from '../helpers/standin.ts';

const TOKEN = 'tk_RefreshToken_5d2a';
const PASSWORD = 'refresh-Hook-Pa55';
const APP = 'dpk/notify-app:1';
const PATHS = ['/ntfy', '/json', '/apprise'] as const;

type Vulnerability = Record<string, unknown> & { VulnerabilityID: string; FixedVersion?: string };

/** debian-buster (a real Trivy report), changed by `edit`, as the stand-in's raw stdout. */
function busterReport(edit: (vulns: Vulnerability[]) => Vulnerability[]): { stdout: string } {
  const report = JSON.parse(readFileSync(path.join(REPORTS, 'debian-buster.json'), 'utf8'));
  report.ArtifactName = APP;
  report.Results[0].Vulnerabilities = edit(report.Results[0].Vulnerabilities);
  return { stdout: `${JSON.stringify(report)}\n` };
}
const LIBIDN2 = 'CVE-2019-18224';
/** Before: the critical libidn2 finding has no fix yet. */
const BEFORE = busterReport((vulns) =>
  vulns.map((v) => {
    if (v.VulnerabilityID !== LIBIDN2) return v;
    const { FixedVersion: _, ...rest } = v;
    return { ...rest, Status: 'affected' };
  }),
);
/** After: libidn2 has its fix, and 7 new criticals, a fixable high and an unfixable high arrive. */
const AFTER = busterReport((vulns) => {
  const critical = vulns.find((v) => v.VulnerabilityID === LIBIDN2)!;
  const added = Array.from({ length: 7 }, (_, i) => ({
    ...critical,
    VulnerabilityID: `CVE-2026-1000${i}`,
    PkgName: `libnew${i}`,
    Title:
      i === 0
        ? '<script>alert(1)</script>\u0007 heap overflow\u202e in the parser'
        : `buffer overflow ${i}`,
  }));
  const high = { ...critical, Severity: 'HIGH', Title: 'use after free' };
  return [
    ...vulns,
    ...added,
    { ...high, VulnerabilityID: 'CVE-2026-20001', PkgName: 'libfixable' },
    { ...high, VulnerabilityID: 'CVE-2026-20002', PkgName: 'libnofix', FixedVersion: undefined },
  ];
});

/** Each destination's delivered messages as title + body, in order. */
function delivered(receiver: HttpReceiver) {
  return Object.fromEntries(
    PATHS.map((p) => [
      p,
      receiver.delivered(p).map((r) => {
        if (p === '/ntfy') return `${r.headers.title}\n${r.body}`;
        const body = JSON.parse(r.body) as { title: string; message: string };
        return `${body.title}\n${body.message}`;
      }),
    ]),
  ) as Record<(typeof PATHS)[number], string[]>;
}

describe('refresh notifies each change once, on a real homelab', () => {
  const t = createRefreshEnv({ [APP]: { ...BEFORE, ms: 50 } });
  const docker = new Docker({ socketPath: inject('dockerSocket') });
  const nasSocket = path.join(t.root, 'nas.sock');
  let receiver: HttpReceiver;
  let nas: RecordingProxy;
  let env: Record<string, string>;
  const log: string[] = [];
  let seen = 0;

  /** Run refresh; return the messages every destination got from it (all three the same). */
  async function refresh(args: string[] = []) {
    const run = await runCli(['refresh', ...args], env);
    const all = delivered(receiver);
    const fresh = all['/ntfy'].slice(seen);
    for (const p of PATHS) expect(all[p].slice(seen), `${p}\n${run.stderr}`).toEqual(fresh);
    seen += fresh.length;
    log.push(`$ refresh ${args.join(' ')} (exit ${run.exitCode})`, ...fresh.map((m) => `${m}\n`));
    return { run, titles: fresh.map((m) => m.split('\n')[0]), messages: fresh };
  }

  /** A new image under APP (a distinct id, as a pulled update gives) and a container on it. */
  async function deployApp(tag: string) {
    const builder = await docker.createContainer({
      Image: 'busybox:fixture',
      Cmd: ['sh', '-c', `echo ${tag} > /v`],
    });
    await builder.start();
    await builder.wait();
    await builder.commit({ repo: 'dpk/notify-app', tag: '1' });
    await builder.remove();
    await docker
      .getContainer('notify-app')
      .remove({ force: true })
      .catch(() => {});
    const app = await docker.createContainer({
      name: 'notify-app',
      Image: APP,
      Cmd: ['sleep', '3600'],
      HostConfig: { NetworkMode: 'none', Init: true },
    });
    await app.start();
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    nas = await startRecordingProxy(nasSocket, inject('dockerSocket'));
    const host = receiver.url.slice('http://'.length);
    env = {
      ...t.env,
      DOCKER_HOST_1_URL: `unix://${nasSocket}`,
      DOCKER_HOST_1_NAME: 'nas',
      DOCKPEEK_UPDATES: '0',
      // Nothing here hangs: a long deadline only keeps a loaded machine from failing a send.
      DOCKPEEK_NOTIFY_TIMEOUT: '60s',
      // Keep one archive: the notify state must not depend on pruned findings files.
      DOCKPEEK_RETENTION: '1',
      DOCKPEEK_PUBLIC_URL: 'https://dash.example/dockpeek/',
      DOCKPEEK_NOTIFY_URLS: [
        `ntfy://${TOKEN}@${host}/ntfy`,
        `json://dockpeek:${PASSWORD}@${host}/json`,
        `apprise+json://dockpeek:${PASSWORD}@${host}/apprise`,
      ].join(','),
    };
    await deployApp('one');
  }, 180_000);

  afterAll(async () => {
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/notify-refresh-messages.txt', `${log.join('\n')}\n`);
    await docker
      .getContainer('notify-app')
      .remove({ force: true })
      .catch(() => {});
    await nas?.close();
    await receiver?.close();
  });

  it('records a baseline on the first run and says so; a second run sends nothing', async () => {
    const first = await refresh();
    expect(first.run.exitCode, first.run.stderr).toBe(0);
    expect(first.run.stderr).toMatch(
      /^notify: baseline recorded \(8 images on 2 host\(s\)\); nothing is sent on a first run/m,
    );
    // Notify is the last stage: after the publish line, before the summary.
    const lines = first.run.stderr.split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/^build: .* published to/)).toBeLessThan(at(/^notify: /));
    expect(at(/^notify: /)).toBeLessThan(at(/^refresh: done/));
    const second = await refresh();
    expect(second.titles).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('an image changes and new criticals arrive: new findings and a fix, once', async () => {
    await deployApp('two');
    t.writeConfig({ [APP]: { ...AFTER, ms: 50 } });
    const { run, titles, messages } = await refresh();
    expect(run.exitCode, run.stderr).toBe(0);
    expect(titles).toEqual([`New findings in ${APP}`, `Fix available in ${APP}`]);
    const [found, fixed] = messages.map((m) => m.split('\n'));
    expect(found!.slice(1, 3)).toEqual([
      '7 critical, 1 high new',
      'Affects lab: notify-app; nas: notify-app',
    ]);
    expect(found!.filter((l) => l.startsWith('- '))).toHaveLength(5);
    expect(found).toContain(
      '- CVE-2026-10000 critical libnew0 → 2.0.5-1+deb10u1: alert(1) heap over…',
    );
    expect(found!.at(-2)).toBe('+3 more');
    expect(found!.at(-1)).toMatch(
      /^https:\/\/dash\.example\/dockpeek\/images\/[0-9a-f]{16}\.html$/,
    );
    expect(messages.join('\n')).not.toMatch(/CVE-2026-20002|[<>\u0007\u202e]/);
    expect(fixed).toContain(`- ${LIBIDN2} critical libidn2-0 → 2.0.5-1+deb10u1: libidn2: heap-ba…`);
    expect((await refresh()).titles).toEqual([]);
  });

  it('a scan fails: one message, with the reason and not the wrapping', async () => {
    t.writeConfig({ [APP]: { fail: 'not_found' } });
    const { run, titles, messages } = await refresh(['--force']);
    expect(run.exitCode).toBe(2);
    expect(titles).toEqual([`Scan failed: ${APP}`]);
    expect(messages[0]!.split('\n')[1]).toMatch(
      /^image_unavailable: unable to find the specified image "dpk\/notify-app:1/,
    );
  });

  it('an update appears on an anchor: one message naming its dependents', async () => {
    const file = path.join(t.dataDir, 'db.json');
    const db = DbSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    db.updates['qmcgaw/gluetun:v3.39.1'] = {
      status: 'update_available',
      ref: 'qmcgaw/gluetun:v3.39.1',
      host: 'lab',
      checkedAt: new Date().toISOString(),
      remoteDigest: `sha256:${'e'.repeat(64)}`,
      localDigests: [],
    };
    writeFileSync(file, JSON.stringify(db));
    const { titles, messages } = await refresh();
    expect(titles).toEqual(['Update available: gluetun']);
    expect(messages[0]!.split('\n').slice(1, 4)).toEqual([
      'qmcgaw/gluetun:v3.39.1 has a newer image.',
      'Updating gluetun will affect 2 dependents on lab:',
      'Updating gluetun will affect 2 dependents on nas:',
    ]);
  });

  it('a host goes down, then comes back: one message each, no container events', async () => {
    await nas.close();
    const down = await refresh();
    expect(down.run.exitCode).toBe(2);
    expect(down.titles).toEqual(['Host down: nas']);
    nas = await startRecordingProxy(nasSocket, inject('dockerSocket'));
    const back = await refresh();
    expect(back.titles).toEqual(['Host back: nas']);
  });

  it('the scan recovers: one message, and nothing it found before is called new', async () => {
    t.writeConfig({ [APP]: { ...AFTER, ms: 50 } });
    const { run, titles, messages } = await refresh(['--force']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(titles).toEqual([`Scan works again: ${APP}`]);
    expect(messages[0]).toContain('9 findings at or above the threshold');
    expect((await refresh()).titles).toEqual([]);
  });

  it('keeps the notify state compact and free of credentials', () => {
    const state = NotifyStateSchema.parse(
      JSON.parse(readFileSync(path.join(t.dataDir, 'notify-state.json'), 'utf8')),
    );
    expect(state.pending).toEqual([]);
    expect(state.observation.images.lab![APP]!.notable).toHaveLength(9);
    for (const f of readTree(t.dataDir)) {
      expect(f.text).not.toContain(TOKEN);
      expect(f.text).not.toContain(PASSWORD);
    }
    expect(seen).toBe(7);
  });
});
