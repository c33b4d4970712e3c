// Peak memory of `dockpeek-security snapshot` when a Docker host answers GET /containers/json
// normally (the baseline), endlessly, or with a complete 1 GiB array (chunked, and announced by
// Content-Length). Peak RSS is the kernel's ru_maxrss of the CLI process, from GNU time; medians
// of BENCH_RUNS (default 5). Needs GNU time (apt-get install -y time); no root, no Docker.
//   npm run bench:docker-memory
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DbSchema } from '../pipeline/store/schema.ts';
import { makeDataDir, runCliMeasured } from '../test/helpers/cli.ts';
import {
  containerEntry,
  entryBatch,
  json,
  startFakeHost,
  streamed,
  type Answer,
} from '../test/helpers/fake-docker-host.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';

const GIB = 1024 ** 3;
const NORMAL_CONTAINERS = 500;
const BATCH = entryBatch();
const HEADERS = { 'content-type': 'application/json' };
const NORMAL = Array.from({ length: NORMAL_CONTAINERS }, (_, i) => containerEntry(i));

/** "[" + entries + "]" of exactly `total` bytes, generated while it is sent. */
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

const SCENARIOS: Array<{ name: string; sends: string; answer: Answer; expect: string }> = [
  {
    name: 'normal (baseline)',
    sends: `${NORMAL_CONTAINERS} containers, ${fmt.bytes(Buffer.byteLength(JSON.stringify(NORMAL)))}`,
    answer: json(NORMAL),
    expect: 'ok',
  },
  {
    name: 'endless',
    sends: '"[" then ~1.3 KB entries forever',
    answer: streamed(HEADERS, function* () {
      yield Buffer.from('[');
      for (;;) yield BATCH;
    }),
    expect: 'response_too_large',
  },
  {
    name: '1 GiB complete, chunked',
    sends: 'a valid 1 GiB array, no Content-Length',
    answer: streamed(HEADERS, () => array(GIB)),
    expect: 'response_too_large',
  },
  {
    name: '1 GiB complete, announced',
    sends: 'the same with Content-Length: 1073741824',
    answer: streamed({ ...HEADERS, 'content-length': String(GIB) }, () => array(GIB)),
    expect: 'response_too_large',
  },
];

const runs = benchRuns();
const root = mkdtempSync(path.join(tmpdir(), 'dpk-bench-mem-'));
const rows: Array<Array<string | number>> = [];
let baseline = 0;
try {
  for (const [i, scenario] of SCENARIOS.entries()) {
    console.error(`docker-memory: ${scenario.name}…`);
    const host = await startFakeHost(path.join(root, `host-${i}.sock`), {
      containers: scenario.answer,
    });
    const samples = await repeat(runs, async () => {
      const dataDir = makeDataDir();
      const { ms, value: run } = await timed(() =>
        runCliMeasured(['snapshot', '--quiet'], {
          DOCKER_HOST: host.url,
          DOCKER_HOST_NAME: 'bench',
          DOCKPEEK_DATA_DIR: dataDir,
          HOME: dataDir,
        }),
      );
      const db = DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));
      rmSync(dataDir, { recursive: true, force: true });
      const status = db.snapshot!.hosts[0]!;
      const outcome = status.ok ? 'ok' : status.errorCode;
      // A bench that measures the wrong thing must not print a figure.
      if (outcome !== scenario.expect)
        throw new Error(`${scenario.name}: expected ${scenario.expect}, got ${outcome}`);
      if (status.ok && db.snapshot!.containers.length !== NORMAL_CONTAINERS)
        throw new Error(`${scenario.name}: read ${db.snapshot!.containers.length} containers`);
      return { ms, rss: run.peakRssMiB, exit: run.exitCode };
    });
    await host.close();
    const rss = median(samples.map((s) => s.rss));
    if (i === 0) baseline = rss;
    rows.push([
      scenario.name,
      scenario.sends,
      `${samples[0]!.exit} (${scenario.expect})`,
      `${rss.toFixed(0)} MiB`,
      fmt.ratio(rss / baseline),
      fmt.ms(median(samples.map((s) => s.ms))),
    ]);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

writeResults(
  'docker-memory',
  'Peak memory of a snapshot against hostile Docker hosts',
  runs,
  `One fake Docker host on a unix socket (test/helpers/fake-docker-host.ts, entries shaped like dockerd 20.10's, ~1.3 KB each) read by the real CLI (\`snapshot --quiet\`, default DOCKPEEK_DOCKER_MAX_RESPONSE = 64 MiB). Peak RSS is ru_maxrss of the CLI process from GNU time (\`/usr/bin/time -f %M\`); ratios are against the normal host of the same run. Before the bounded client, docker-modem read each body whole: the endless host reached 3.2 GB before the 30 s deadline, and the 1 GiB answer crashed the CLI (ERR_STRING_TOO_LONG, exit 1, no db.json).

${table(['host answers', 'what it sends', 'exit (host outcome)', 'peak RSS', 'vs normal', 'wall time'], rows)}

The streamed cases stop at the 64 MiB cap, whatever the host would send after it; the ~50,000 entries kept up to the cap are what lifts their peak above the baseline (V8 grows its young generation while they survive). The announced 1 GiB answer is refused from its Content-Length before a byte of the body is read.`,
);
