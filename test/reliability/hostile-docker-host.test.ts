// A Docker host is untrusted input. Each row is a fake host (a real HTTP server on a unix socket)
// answering GET /containers/json in a hostile way, read by the real CLI together with a
// well-behaved host. The CLI must record the bad host with a code and a clear message, keep the
// good host's containers, write db.json, exit 2 — and its peak memory must not follow what the
// bad host sends (dockerode reached 3.2 GB on an endless answer and crashed on a 1 GiB one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbSchema } from '../../pipeline/store/schema.ts';
import type { HostErrorCode } from '../../pipeline/vocabulary.ts';
import { makeDataDir, runCliMeasured } from '../helpers/cli.ts';
import {
  containerEntry,
  entryBatch,
  gzipBomb,
  json,
  startFakeHost,
  streamed,
  type Answer,
  type FakeHost,
} from '../helpers/fake-docker-host.ts';

const GIB = 1024 ** 3;
// Measured here (Node 24, 2 cores): ~112 MiB for a two-host snapshot of small answers; ~290 MiB
// when a host streams past the 64 MiB cap, whatever it sends after (endless and 1 GiB alike): the
// ~52,000 entries kept until the cap (~35 MiB live) make V8 grow its young generation, a fixed
// ceiling (--max-semi-space-size=16 brings it to ~180 MiB). 400 MiB leaves room for a busier
// machine; reading the body whole, as before, took 3.2 GB on the endless answer.
const PEAK_RSS_LIMIT_MIB = 400;
const BATCH = entryBatch();
const JSON_HEADERS = { 'content-type': 'application/json' };

/** "[" + batches + a last entry + "]", exactly `total` bytes when `total` allows. */
function* array(total: number): Generator<Buffer> {
  const last = Buffer.from(`${JSON.stringify(containerEntry(0))}]`);
  yield Buffer.from('[');
  let sent = 1;
  while (sent + BATCH.length + last.length <= total) {
    yield BATCH;
    sent += BATCH.length;
  }
  yield Buffer.from(' '.repeat(Math.max(0, total - sent - last.length)));
  yield last;
}

/** Whitespace, one byte every 50 ms, after "[": an answer that is never complete. */
const drip: Answer = (res) => {
  res.writeHead(200, JSON_HEADERS);
  res.write('[');
  const timer = setInterval(() => res.write(' '), 50);
  res.on('close', () => clearInterval(timer));
};

/** Promise 5000 bytes, send 100, hang up. */
const shortBody: Answer = (res) => {
  res.writeHead(200, { ...JSON_HEADERS, 'content-length': '5000' });
  res.write(`[${JSON.stringify(containerEntry(1))}`.slice(0, 100), () => res.socket?.destroy());
};

let bomb: Buffer;
const gzipped: Answer = (res) => {
  res.writeHead(200, { ...JSON_HEADERS, 'content-encoding': 'gzip' });
  res.end(bomb);
};

const HUGE_LABEL = 'x'.repeat(5 * 1024 * 1024);
/** Good entries around hostile ones: a path in the id, a 5 MiB label, deep nesting, junk. */
const hostileEntries: Answer = streamed(JSON_HEADERS, function* () {
  yield Buffer.from(`[${JSON.stringify(containerEntry(10))},`);
  yield Buffer.from(`${JSON.stringify(containerEntry(11, { Id: '../../x' }))},`);
  yield Buffer.from(
    `${JSON.stringify(containerEntry(12, { Labels: { 'dockpeek.stack': HUGE_LABEL } }))},`,
  );
  yield Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)},`);
  yield Buffer.from(`"just a string", 42, null,`);
  yield Buffer.from(`${JSON.stringify(containerEntry(13))}]`);
});

const inspectAnswer = json({ RestartCount: 0, State: { StartedAt: '2026-01-01T00:00:00Z' } });

interface Row {
  title: string;
  answer: Answer;
  /** The bad host's outcome: a coded failure, or read with warnings. */
  expect: { code: HostErrorCode; message: string } | { containers: string[]; warnings: RegExp[] };
  args?: string[];
  env?: Record<string, string>;
}

const ROWS: Row[] = [
  {
    title: 'an endless answer',
    answer: streamed(JSON_HEADERS, function* () {
      yield Buffer.from('[');
      for (;;) yield BATCH;
    }),
    expect: {
      code: 'response_too_large',
      message:
        'the answer to GET /containers/json passed 64 MiB (DOCKPEEK_DOCKER_MAX_RESPONSE); reading stopped there',
    },
  },
  {
    title: 'a complete 1 GiB array, chunked',
    answer: streamed(JSON_HEADERS, () => array(GIB)),
    expect: {
      code: 'response_too_large',
      message:
        'the answer to GET /containers/json passed 64 MiB (DOCKPEEK_DOCKER_MAX_RESPONSE); reading stopped there',
    },
  },
  {
    title: 'a complete 1 GiB array with its Content-Length',
    answer: streamed({ ...JSON_HEADERS, 'content-length': String(GIB) }, () => array(GIB)),
    expect: {
      code: 'response_too_large',
      message:
        'the answer to GET /containers/json announces 1 GiB, more than the 64 MiB accepted (DOCKPEEK_DOCKER_MAX_RESPONSE)',
    },
  },
  {
    title: 'a 2 MiB answer with DOCKPEEK_DOCKER_MAX_RESPONSE=1MiB',
    answer: streamed(JSON_HEADERS, () => array(2 * 1024 * 1024)),
    env: { DOCKPEEK_DOCKER_MAX_RESPONSE: '1MiB' },
    expect: {
      code: 'response_too_large',
      message:
        'the answer to GET /containers/json passed 1 MiB (DOCKPEEK_DOCKER_MAX_RESPONSE); reading stopped there',
    },
  },
  {
    title: 'a slow drip past the deadline',
    answer: drip,
    args: ['--timeout', '2s'],
    expect: {
      code: 'timeout',
      message: 'the answer to GET /containers/json was not complete within 2.0 s',
    },
  },
  {
    title: 'a body shorter than its Content-Length',
    answer: shortBody,
    expect: {
      code: 'connection_reset',
      message:
        'the connection closed after 100 of 5000 bytes of the answer to GET /containers/json',
    },
  },
  {
    title: 'a gzip bomb',
    answer: gzipped,
    expect: {
      code: 'invalid_response',
      message:
        'the answer to GET /containers/json is gzip-encoded, though we never ask for compression; refused unread',
    },
  },
  {
    title: 'an HTML page',
    answer: (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>[{"Id":"0123456789ab"}]</body></html>');
    },
    expect: {
      code: 'invalid_response',
      message:
        'the answer to GET /containers/json is text/html, not application/json: is this a Docker API?',
    },
  },
  {
    title: 'an object where the list belongs',
    answer: json({ message: 'hello' }),
    expect: {
      code: 'invalid_response',
      message: 'the answer is not a JSON array (GET /containers/json)',
    },
  },
  {
    title: 'invalid UTF-8 inside an entry',
    answer: streamed(JSON_HEADERS, function* () {
      yield Buffer.from(`[${JSON.stringify(containerEntry(1))},{"Id":"`);
      yield Buffer.from([0xc3, 0x28]);
      yield Buffer.from('"}]');
    }),
    expect: {
      code: 'invalid_response',
      message: 'container #1 of GET /containers/json is not valid UTF-8',
    },
  },
  {
    title: '150,000 tiny entries',
    answer: streamed(JSON_HEADERS, function* () {
      yield Buffer.from('[');
      const tiny = Buffer.from(`${'{"Id":"0123456789ab"},'.repeat(1000)}`);
      for (let i = 0; i < 150; i++) yield tiny;
      yield Buffer.from('{"Id":"0123456789ab"}]');
    }),
    expect: {
      code: 'response_too_large',
      message:
        'the answer to GET /containers/json has more than 100000 container entries; reading stopped there',
    },
  },
  {
    title: 'terminal escapes in an error message',
    answer: json({ message: '\u001b[2J\u001b[31mdisk on fire\u001b[0m\nsecond line' }, 500),
    expect: {
      code: 'http_error',
      message: 'Docker API answered HTTP 500: [2J [31mdisk on fire [0m second line',
    },
  },
  {
    title: 'hostile entries among good ones (with --inspect)',
    answer: hostileEntries,
    args: ['--inspect'],
    expect: {
      containers: ['app-10', 'app-13'],
      warnings: [
        /^container #1 in the API response is malformed and was skipped: .*not a container id/,
        /^container #2 in the API response is larger than 1 MiB \(5\.0 MiB\) and was skipped$/,
        /^container #3 in the API response is malformed/,
        /^container #4 in the API response is malformed/,
        /^container #5 in the API response is malformed/,
        /^container #6 in the API response is malformed/,
      ],
    },
  },
];

describe('a hostile Docker host fails alone, in bounded memory', () => {
  let root: string;
  let good: FakeHost;
  const opened: FakeHost[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'dpk-hostile-'));
    bomb = await gzipBomb(256);
    good = await startFakeHost(path.join(root, 'good.sock'), {
      containers: json([containerEntry(1), containerEntry(2)]),
    });
  });
  afterAll(async () => {
    await Promise.all([good.close(), ...opened.map((h) => h.close())]);
    rmSync(root, { recursive: true, force: true });
  });

  it.each(ROWS.map((row, i) => [row.title, row, i] as const))('%s', async (_title, row, i) => {
    const bad = await startFakeHost(path.join(root, `bad-${i}.sock`), {
      containers: row.answer,
      inspect: inspectAnswer,
    });
    opened.push(bad);
    const dataDir = makeDataDir();
    const run = await runCliMeasured(['snapshot', ...(row.args ?? [])], {
      DOCKER_HOST: bad.url,
      DOCKER_HOST_NAME: 'bad',
      DOCKER_HOST_1_URL: good.url,
      DOCKER_HOST_1_NAME: 'good',
      DOCKPEEK_DATA_DIR: dataDir,
      HOME: dataDir,
      ...row.env,
    });
    const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
    const [badStatus, goodStatus] = db.snapshot!.hosts;
    expect(goodStatus).toMatchObject({ name: 'good', ok: true, containerCount: 2 });
    const goodNames = db.snapshot!.containers.filter((c) => c.host === 'good').map((c) => c.name);
    expect(goodNames.sort()).toEqual(['app-1', 'app-2']);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toMatch(/unexpected failure|ERR_|at .*\.ts:\d+/);

    if ('code' in row.expect) {
      expect(run.exitCode, run.stderr).toBe(2);
      expect(badStatus).toMatchObject({
        name: 'bad',
        ok: false,
        errorCode: row.expect.code,
        error: row.expect.message,
      });
      expect(run.stderr).toContain(`bad ${bad.url}: ${row.expect.message} [${row.expect.code}]`);
    } else {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(badStatus).toMatchObject({ name: 'bad', ok: true, containerCount: 2 });
      const names = db.snapshot!.containers.filter((c) => c.host === 'bad').map((c) => c.name);
      expect(names.sort()).toEqual(row.expect.containers);
      expect(badStatus!.warnings).toHaveLength(row.expect.warnings.length);
      row.expect.warnings.forEach((w, n) => expect(badStatus!.warnings[n]).toMatch(w));
      // Only the validated ids became paths: the "../../x" entry never reached a request.
      const inspects = bad.requests.filter((r) => /^GET \/containers\/[^/]+\/json$/.test(r));
      expect(inspects.sort()).toEqual(
        db
          .snapshot!.containers.filter((c) => c.host === 'bad')
          .map((c) => `GET /containers/${c.id}/json`)
          .sort(),
      );
      expect(bad.requests.join('\n')).not.toContain('..');
    }
    expect(run.peakRssMiB, 'peak RSS (MiB) of the CLI').toBeLessThan(PEAK_RSS_LIMIT_MIB);
    console.log(`${row.title}: peak RSS ${run.peakRssMiB.toFixed(0)} MiB`);
  });
});
