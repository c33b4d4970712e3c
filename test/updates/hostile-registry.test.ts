// Update checks ask GET /distribution/{ref}/json through a host's daemon: the answer is the
// registry's, relayed, and as untrusted as any other. A fake daemon on a unix socket answers in
// hostile ways; checkRef must come back `unknown` with a reason, never throw, never ask with a
// reference that could rewrite the path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerClient, type DockerClient } from '../../pipeline/docker/client.ts';
import { checkRef } from '../../pipeline/updates/check-ref.ts';
import {
  json,
  startFakeHost,
  streamed,
  type Answer,
  type FakeHost,
} from '../helpers/fake-docker-host.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const REF = '127.0.0.1:5000/team/app:1.0';
const LOCAL = [`127.0.0.1:5000/team/app@${DIGEST}`];

describe('update checks against a hostile daemon', () => {
  let root: string;
  let answer: Answer;
  let host: FakeHost;
  let client: DockerClient;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'dpk-registry-hostile-'));
    host = await startFakeHost(path.join(root, 'docker.sock'), {
      containers: json([]),
      distribution: (res) => answer(res),
    });
    client = createDockerClient({ name: 'lab', url: host.url }, {}, { connectTimeoutMs: 2000 });
  });
  afterAll(async () => {
    client.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('asks with each path segment encoded and compares digests', async () => {
    answer = json({ Descriptor: { digest: DIGEST, size: 525 }, Platforms: [] });
    host.requests.length = 0;
    expect(await checkRef(client, REF, LOCAL, 2000)).toEqual({
      status: 'up_to_date',
      remoteDigest: DIGEST,
    });
    expect(host.requests).toEqual(['GET /distribution/127.0.0.1%3A5000/team/app%3A1.0/json']);
  });

  it.each([
    '../../containers/0123456789ab',
    'app:1.0/../../../_ping?',
    'app:1.0#x',
    'app:1.0%2F..',
    'app name:1',
  ])('refuses %j without asking', async (ref) => {
    host.requests.length = 0;
    expect(await checkRef(client, ref, LOCAL, 2000)).toEqual({
      status: 'unknown',
      reason: 'not a valid image reference; the registry was not asked',
    });
    expect(host.requests).toEqual([]);
  });

  it.each<[string, Answer, string | RegExp]>([
    [
      'an endless answer',
      streamed({ 'content-type': 'application/json' }, function* () {
        yield Buffer.from('{"Descriptor":{"digest":"');
        for (;;) yield Buffer.alloc(64 * 1024, 0x61);
      }),
      `the answer to GET /distribution/${REF}/json passed 1 MiB; reading stopped there`,
    ],
    [
      'a digest that is not one',
      json({ Descriptor: { digest: '../../etc/passwd' } }),
      `the answer to GET /distribution/${REF}/json is not the JSON the Docker API documents`,
    ],
    ['no digest', json({ Descriptor: {} }), 'the registry answered without a digest'],
    [
      'the daemon relaying a 401',
      json(
        { message: 'Head "https://r/v2/team/app/manifests/1.0": no basic auth credentials' },
        500,
      ),
      /^authentication required \(Head/,
    ],
    [
      'a gzip-encoded answer',
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(Buffer.alloc(100));
      },
      `the answer to GET /distribution/${REF}/json is gzip-encoded, though we never ask for compression; refused unread`,
    ],
  ])('%s: unknown, with the reason', async (_title, hostile, reason) => {
    answer = hostile;
    const result = await checkRef(client, REF, LOCAL, 5000);
    expect(result.status).toBe('unknown');
    expect('reason' in result && result.reason).toMatch(reason);
  });
});
