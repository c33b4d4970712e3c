import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { createRefreshEnv } from '../helpers/refresh-env.ts';

const TOKEN = 'tk_KillToken_0b3e';
const BIN = path.resolve('bin/dockpeek-security.mjs');

describe('a refresh killed between publish and notify', () => {
  const t = createRefreshEnv();
  let receiver: HttpReceiver;
  let env: Record<string, string>;
  beforeAll(async () => {
    receiver = await startReceiver();
    const host = receiver.url.slice('http://'.length);
    env = {
      ...t.env,
      DOCKPEEK_UPDATES: '0',
      DOCKPEEK_NOTIFY_URLS: `ntfy://${TOKEN}@${host}/ntfy,json://${host}/json`,
    };
  });
  afterAll(() => receiver.close());

  it('loses no message and sends none twice', async () => {
    expect((await runCli(['refresh'], env)).exitCode).toBe(0);
    t.writeConfig({ 'qmcgaw/gluetun:v3.39.1': { report: 'debian-buster', ms: 50 } });
    // Whatever the killed run manages to send is never answered: it cannot count as delivered.
    receiver.setMode('*', 'hold');
    const victim = execa(process.execPath, [BIN, 'refresh', '--force'], {
      env: { PATH: process.env.PATH!, NO_COLOR: '1', ...env },
      extendEnv: false,
      reject: false,
    });
    let stderr = '';
    victim.stderr!.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      if (/^build: .* published to/m.test(stderr)) victim.kill('SIGKILL');
    });
    const killed = await victim;
    expect(killed.signal).toBe('SIGKILL');
    expect(stderr).not.toMatch(/^notify: \d+ new event/m);
    receiver.release();
    receiver.setMode('*', 'ok');

    const next = await runCli(['refresh'], env);
    expect(next.exitCode, next.stderr).toBe(0);
    const titles = (p: string) =>
      receiver
        .delivered(p)
        .map((r) => (p === '/ntfy' ? r.headers.title : JSON.parse(r.body).title));
    const expected = ['New findings in qmcgaw/gluetun:v3.39.1'];
    expect(titles('/ntfy')).toEqual(expected);
    expect(titles('/json')).toEqual(expected);
    expect((await runCli(['refresh'], env)).exitCode).toBe(0);
    expect(titles('/ntfy')).toEqual(expected);
    expect(titles('/json')).toEqual(expected);
  });
});
