import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, runCli } from '../helpers/cli.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';

describe('notify --test', () => {
  let receiver: HttpReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    receiver.setMode('/broken', 'fail');
  });
  afterAll(() => receiver.close());

  it('sends one message to each URL and reports each; exit 2 when one failed', async () => {
    const host = receiver.url.slice('http://'.length);
    const run = await runCli(['notify', '--test'], {
      DOCKPEEK_DATA_DIR: makeDataDir(),
      DOCKPEEK_NOTIFY_URLS: `ntfy://${host}/works,json://${host}/broken`,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^✓ ntfy:\/\/127\.0\.0\.1:\d+\/… \(#1\): delivered \(HTTP 200, \d+ ms\)$/,
      ),
      expect.stringMatching(
        /^✗ json:\/\/127\.0\.0\.1:\d+\/… \(#2\): \[http_error\] HTTP 500: boom$/,
      ),
    ]);
    expect(receiver.requests.map((r) => r.path)).toEqual(['/works', '/broken']);
  });
});

describe('notification configuration is checked before anything is written', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    [
      'a URL without a scheme (refresh)',
      ['refresh'],
      { DOCKPEEK_NOTIFY_URLS: 'ntfy.sh/secret-topic' },
      /^error: DOCKPEEK_NOTIFY_URLS item 1 is not a URL of the form scheme:\/\/… \[config_invalid\]/m,
    ],
    [
      'an apprise scheme without apprise (refresh)',
      ['refresh'],
      { DOCKPEEK_NOTIFY_URLS: 'tgram://1234:secret/5', DOCKPEEK_APPRISE_BIN: '/nope/apprise' },
      /item 1 uses tgram:\/\/, which is sent through the apprise CLI, and "\/nope\/apprise" is not installed/,
    ],
    [
      'a severity that is not one',
      ['notify'],
      { DOCKPEEK_NOTIFY_SEVERITY: 'severe' },
      /DOCKPEEK_NOTIFY_SEVERITY="severe" is not a severity/,
    ],
    [
      'a fixable severity that is not one',
      ['refresh'],
      { DOCKPEEK_NOTIFY_FIXABLE_SEVERITY: 'never' },
      /DOCKPEEK_NOTIFY_FIXABLE_SEVERITY="never" is not a severity/,
    ],
    [
      'a digest time that is not a time',
      ['refresh'],
      { DOCKPEEK_NOTIFY_DIGEST: '25:00' },
      /DOCKPEEK_NOTIFY_DIGEST="25:00" is not a time of day/,
    ],
    [
      'a public URL with credentials',
      ['refresh'],
      { DOCKPEEK_PUBLIC_URL: 'https://admin:pw@dash.example/' },
      /DOCKPEEK_PUBLIC_URL is not an http\(s\) URL without credentials/,
    ],
    [
      'a send deadline of 0',
      ['refresh'],
      { DOCKPEEK_NOTIFY_TIMEOUT: '0' },
      /DOCKPEEK_NOTIFY_TIMEOUT="0" is out of range/,
    ],
    [
      'a retry cap of 0',
      ['notify', '--status'],
      { DOCKPEEK_NOTIFY_MAX_ATTEMPTS: '0' },
      /DOCKPEEK_NOTIFY_MAX_ATTEMPTS="0" is out of range/,
    ],
    ['notify with no URL', ['notify'], {}, /DOCKPEEK_NOTIFY_URLS is not set/],
    [
      'two modes at once',
      ['notify', '--test', '--status'],
      {},
      /give at most one of --test, --dry-run and --status/,
    ],
  ];
  it.each(cases)('%s: exit 1, named, nothing written', async (_name, args, extra, message) => {
    const dataDir = path.join(makeDataDir(), 'data');
    const siteDir = path.join(path.dirname(dataDir), 'site');
    const run = await runCli(args, {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_SITE_DIR: siteDir,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      ...extra,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('secret');
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(siteDir)).toBe(false);
  });

  it('documents itself in --help', async () => {
    const run = await runCli(['notify', '--help'], {});
    expect(run.exitCode).toBe(0);
    for (const text of ['--test', '--dry-run', '--status', '--verbose', 'DOCKPEEK_NOTIFY_URLS'])
      expect(run.stdout).toContain(text);
  });
});
