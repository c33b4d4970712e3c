import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveNotifyConfig } from '../../pipeline/notify/config.ts';
import { sendMessage, testMessage } from '../../pipeline/notify/send.ts';
import { DockpeekError } from '../../pipeline/errors.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { processesWith } from '../helpers/standin.ts';

// The real apprise CLI (Debian's 1.2.0, installed by .ci/run) posting through its json:// plugin
// to a local receiver. In the docker project: it needs an installed tool, as that project does.
const SECRET = 'Apprise-S3cret-Pw-71c4';

/** Everything /proc shows about the apprise processes now running for us. */
function appriseProcesses() {
  return processesWith('dpk-apprise-').map((pid) => ({
    pid,
    argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean),
    environ: readFileSync(`/proc/${pid}/environ`, 'utf8'),
  }));
}

describe('the apprise CLI path', () => {
  let receiver: HttpReceiver;
  const configure = (urls: string, extra: Record<string, string> = {}) =>
    resolveNotifyConfig({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DOCKPEEK_NOTIFY_URLS: urls,
      ...extra,
    });
  const url = (p: string) => `apprise+json://dockpeek:${SECRET}@${receiver.url.slice(7)}${p}`;

  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('delivers through apprise; the URL reaches it in a 0600 file, never on argv or in its env', async () => {
    receiver.setMode('/held', 'hold');
    const config = await configure(url('/held'));
    expect(config.appriseBin).toMatch(/\/apprise$/);
    const sending = sendMessage(config.destinations[0]!, testMessage(config), config);
    await receiver.waitForRequests(1, '/held');
    const running = appriseProcesses();
    expect(running.length).toBeGreaterThan(0);
    for (const p of running) {
      expect(p.argv.join(' ')).not.toContain(SECRET);
      expect(p.environ).not.toContain(SECRET);
    }
    const argv = running.find((p) => p.argv.includes('--config'))!.argv;
    const file = argv[argv.indexOf('--config') + 1]!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toContain(SECRET);
    receiver.release(200);
    const result = await sending;
    expect(result).toMatchObject({ ok: true, detail: 'apprise exit 0' });
    expect(existsSync(path.dirname(file))).toBe(false);
    const request = receiver.requests.at(-1)!;
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from(`dockpeek:${SECRET}`).toString('base64')}`,
    );
    expect(JSON.parse(request.body)).toMatchObject({
      version: '1.0',
      title: 'DockPeek Security: test notification',
      type: 'info',
      message: expect.stringContaining('If you read this, notifications reach you here.'),
    });
  });

  it('reports a failed delivery as apprise_failed, with no credential in the reason', async () => {
    receiver.setMode('/fails', 'fail');
    const config = await configure(url('/fails'));
    const result = await sendMessage(config.destinations[0]!, testMessage(config), config);
    expect(result).toMatchObject({ ok: false, failure: { code: 'apprise_failed' } });
    if (!result.ok) {
      expect(result.failure.message).toMatch(/^apprise exited 1: .*error=500/);
      expect(result.failure.message).not.toContain(SECRET);
    }
  });

  it('stops apprise and everything it started at the deadline', async () => {
    receiver.setMode('/slow', 'hold');
    // The check (a dry run) keeps the default deadline; the send gets a short one.
    const config = { ...(await configure(url('/slow'))), timeoutMs: 2000 };
    // The receiver never answers, so however fast apprise starts, the send ends at the deadline.
    const result = await sendMessage(config.destinations[0]!, testMessage(config), config);
    receiver.release();
    expect(result).toMatchObject({ ok: false, failure: { code: 'timeout' } });
    if (!result.ok) expect(result.failure.message).toMatch(/stopped$/);
    expect(appriseProcesses()).toEqual([]);
  });

  const refused: Array<[string, string, Record<string, string>, RegExp]> = [
    [
      'a URL apprise cannot parse',
      `ntfys://ntfy.sh/topic,frobnicate://${SECRET}@x/y`,
      {},
      /^DOCKPEEK_NOTIFY_URLS item 2 \(frobnicate:\/\/…\) is not a URL apprise can use$/,
    ],
    [
      'an apprise URL without apprise installed',
      `discord://1234567/${SECRET}`,
      { DOCKPEEK_APPRISE_BIN: '/nonexistent/apprise' },
      /item 1 uses discord:\/\/, which is sent through the apprise CLI, and "\/nonexistent\/apprise" is not installed/,
    ],
  ];
  it.each(refused)('refuses %s up front', async (_name, urls, extra, message) => {
    const error = await configure(urls, extra).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockpeekError);
    expect((error as DockpeekError).message).toMatch(message);
    expect(`${(error as DockpeekError).message} ${(error as DockpeekError).hint}`).not.toContain(
      SECRET,
    );
  });
});
