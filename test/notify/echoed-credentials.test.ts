import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree, runCli, type CliResult } from '../helpers/cli.ts';
import { startReceiver, type HttpReceiver } from '../helpers/http-receiver.ts';
import { demoStore, editDb } from '../helpers/store-fixture.ts';

// Credentials with the characters that change how they are written: URL-encoded in the URL,
// escaped in JSON, base64 in the Authorization header the receiver echoes.
const JSON_USER = 'dockpeek';
const JSON_PASSWORD = 'Pa55:w@rd/"q\\é';
const NTFY_USER = 'alerter';
const NTFY_PASSWORD = 'ntfy p&ss=1?';
const TOKEN = 'tk_Query+Tok/en=9';

/** Every way a secret may appear in text: as is, URL-encoded, JSON-escaped. */
const spellings = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
];
/** The Authorization: Basic value of a user and password, in base64 and its variants. */
const basicForms = (user: string, password: string) => {
  const raw = Buffer.from(`${user}:${password}`);
  return [
    raw.toString('base64'),
    raw.toString('base64').replace(/=+$/, ''),
    raw.toString('base64url'),
  ];
};
const FORBIDDEN = [
  ...spellings(JSON_PASSWORD),
  ...spellings(NTFY_PASSWORD),
  ...spellings(TOKEN),
  ...basicForms(JSON_USER, JSON_PASSWORD),
  ...basicForms(NTFY_USER, NTFY_PASSWORD),
];

describe('credentials a receiver echoes back', () => {
  let receiver: HttpReceiver;
  let dataDir: string;
  let env: Record<string, string>;
  const outputs: CliResult[] = [];
  const notify = async (args: string[], extra: Record<string, string> = {}) => {
    const run = await runCli(['notify', ...args], { ...env, ...extra });
    outputs.push(run);
    return run;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    receiver.setMode('*', 'echo-all');
    dataDir = await demoStore();
    const host = receiver.url.slice('http://'.length);
    const userinfo = (user: string, password: string) =>
      `${user}:${encodeURIComponent(password)}@${host}`;
    env = {
      DOCKPEEK_DATA_DIR: dataDir,
      DOCKPEEK_NOTIFY_URLS: [
        `json://${userinfo(JSON_USER, JSON_PASSWORD)}/hook`,
        `ntfy://${userinfo(NTFY_USER, NTFY_PASSWORD)}/alerts`,
        `ntfy://${host}/tokened?token=${encodeURIComponent(TOKEN)}`,
      ].join(','),
    };
  });
  afterAll(() => receiver.close());

  it('are shown by no run of notify and stored in no file', async () => {
    expect((await notify([])).stderr).toContain('notify: baseline recorded');
    editDb(dataDir, (db) => {
      const nas = db.snapshot!.hosts.find((h) => h.name === 'nas')!;
      Object.assign(nas, { ok: false, error: 'connection refused (10.0.0.5:2375)' });
      db.snapshot!.containers = db.snapshot!.containers.filter((c) => c.host !== 'nas');
    });

    const verbose = await notify(['-v']);
    expect(verbose.exitCode, verbose.stderr).toBe(2);
    const pending = await notify(['--status']);
    const dropped = await notify([], { DOCKPEEK_NOTIFY_MAX_ATTEMPTS: '2' });
    expect(dropped.stderr).toContain('dropped after 2 attempts');
    const status = await notify(['--status']);
    const tests = [await notify(['--test']), await notify(['--test', '-v'])];
    for (const test of tests) expect(test.exitCode, test.stderr).toBe(2);

    // The receiver did get (and echo) every credential: the test can fail.
    const sent = new Set(receiver.requests.map((r) => r.headers.authorization));
    expect(sent).toEqual(
      new Set([
        `Basic ${basicForms(JSON_USER, JSON_PASSWORD)[0]}`,
        `Basic ${basicForms(NTFY_USER, NTFY_PASSWORD)[0]}`,
        `Bearer ${TOKEN}`,
      ]),
    );
    const texts = [
      ...outputs.flatMap((r, i) => [
        { where: `run ${i} stdout`, text: r.stdout },
        { where: `run ${i} stderr`, text: r.stderr },
      ]),
      ...readTree(dataDir).map((f) => ({ where: f.file, text: f.text })),
    ];
    // Files are read as latin1: the UTF-8 bytes of a secret spelled as latin1 are looked for too.
    const forbidden = [...FORBIDDEN, ...FORBIDDEN.map((s) => Buffer.from(s).toString('latin1'))];
    for (const { where, text } of texts)
      for (const secret of forbidden)
        expect(text, `${where} holds ${secret}`).not.toContain(secret);

    // Each output still says what the receiver answered, with the credential masked.
    const answered = (n: number, scheme: string) =>
      new RegExp(
        `\\(#${n}\\) failed \\[http_error\\]: HTTP 401: unauthorised: Authorization: ${scheme} \\*\\*\\*`,
      );
    expect(verbose.stderr).toMatch(answered(1, 'Basic'));
    expect(verbose.stderr).toMatch(answered(2, 'Basic'));
    expect(verbose.stderr).toMatch(answered(3, 'Bearer'));
    expect(pending.stdout).toMatch(
      /last \[http_error\] HTTP 401: unauthorised: Authorization: Basic \*\*\*/,
    );
    expect(status.stdout).toMatch(/after 2 attempt\(s\): \[http_error\] HTTP 401: unauthorised/);
    for (const test of tests)
      expect(test.stdout).toMatch(
        /✗ ntfy:\/\/127\.0\.0\.1:\d+\/… \(#2\): \[http_error\] HTTP 401: unauthorised: Authorization: Basic \*\*\*/,
      );
  });

  it('are removed from a state file an older version wrote, when shown and when rewritten', async () => {
    const file = path.join(dataDir, 'notify-state.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    expect(state.dropped.length).toBeGreaterThan(0);
    const basic = basicForms(JSON_USER, JSON_PASSWORD)[0];
    state.dropped[0].reason.message = `HTTP 401: Authorization: Basic ${basic} (${JSON_PASSWORD})`;
    writeFileSync(file, JSON.stringify(state));

    const status = await notify(['--status']);
    expect(status.stdout).toContain('HTTP 401: Authorization: Basic *** (***)');
    const run = await notify([]);
    expect(run.exitCode, run.stderr).toBe(0);
    const rewritten = readFileSync(file, 'utf8');
    expect(rewritten).toContain('HTTP 401: Authorization: Basic *** (***)');
    for (const text of [status.stdout, rewritten])
      for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
  });
});
