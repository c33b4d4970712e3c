// EPSS: a made-up file of 300k rows in FIRST's format (gzip, ~3 MiB) read three ways, each in a
// process of its own so its peak memory is its own: the baseline reads it through zlib without
// parsing; "store" is what `feeds` does (every row validated, the file stored); "filter" is what
// the site build does (loadEpssScores for 1,000 CVE ids, real ids from the KEV fixture).
// Medians of BENCH_RUNS (default 5) per figure.
//   npm run bench:epss       (BENCH_EPSS_ROWS=300000 BENCH_EPSS_WANTED=1000)
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { execa } from 'execa';
import { loadEpssScores } from '../pipeline/feeds/read-feeds.ts';
import { updateFeed } from '../pipeline/feeds/update-feed.ts';
import { writeMadeUpEpss } from '../test/helpers/epss-files.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat } from './lib/stats.ts';

const ROWS = Number(process.env.BENCH_EPSS_ROWS ?? 300_000);
const WANTED = Number(process.env.BENCH_EPSS_WANTED ?? 1000);
const KEV = path.resolve(
  import.meta.dirname,
  '../test/fixtures/feeds/known_exploited_vulnerabilities.json',
);
const MODES = ['zlib', 'store', 'filter'] as const;
type Mode = (typeof MODES)[number];
interface Measure {
  ms: number;
  count: number;
  peakKiB: number;
}

/** A difference of bytes with its sign. */
function signed(bytes: number): string {
  return `${bytes < 0 ? '−' : '+'}${fmt.bytes(Math.abs(bytes))}`;
}

/** One measurement inside this (child) process: the operation's time and what it counted. */
async function measure(mode: Mode, file: string, dataDir: string, ids: string[]) {
  const started = performance.now();
  let count = 0;
  if (mode === 'zlib')
    for await (const chunk of createReadStream(file).pipe(createGunzip())) count += chunk.length;
  else if (mode === 'store') {
    const limits = { timeoutMs: 600_000, maxBytes: 1 << 30, maxUnpacked: 1 << 30 };
    const outcome = await updateFeed(dataDir, 'epss', { kind: 'file', path: file }, limits);
    if (!outcome.ok) throw new Error(`store failed: ${outcome.error.message}`);
    count = outcome.stored.entries;
  } else count = (await loadEpssScores(dataDir, ids))?.scores.size ?? -1;
  return { ms: performance.now() - started, count };
}

if (process.env.EPSS_BENCH_CHILD) {
  const [mode, file, dataDir, idsFile] = process.argv.slice(2) as [Mode, string, string, string];
  const result = await measure(mode, file, dataDir, JSON.parse(readFileSync(idsFile, 'utf8')));
  process.stdout.write(JSON.stringify(result));
} else {
  const runs = benchRuns();
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-epss-'));
  const ids = (
    JSON.parse(readFileSync(KEV, 'utf8')) as { vulnerabilities: Array<{ cveID: string }> }
  ).vulnerabilities
    .map((v) => v.cveID)
    .slice(0, WANTED);
  const idsFile = path.join(dir, 'ids.json');
  await (await import('node:fs/promises')).writeFile(idsFile, JSON.stringify(ids));
  const file = path.join(dir, `epss-made-up-${ROWS / 1000}k.csv.gz`);
  console.error(`epss: writing ${ROWS} made-up rows (${WANTED} of them real KEV ids)…`);
  await writeMadeUpEpss(file, { rows: ROWS, include: ids });
  const dataDir = path.join(dir, 'data');
  // One store first, so the filter runs have a stored copy to read.
  await measure('store', file, dataDir, ids);
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const child = async (mode: Mode): Promise<Measure> => {
    const args = [process.execPath, import.meta.filename, mode, file, dataDir, idsFile];
    const env = { ...process.env, EPSS_BENCH_CHILD: '1' };
    const run = time
      ? await execa(time, ['-f', 'peak-kib=%M', ...args], { env, reject: false })
      : await execa(args[0]!, args.slice(1), { env, reject: false });
    if (run.exitCode !== 0) throw new Error(`${mode} failed: ${run.stderr}`);
    const { ms, count } = JSON.parse(run.stdout) as { ms: number; count: number };
    return { ms, count, peakKiB: Number(/peak-kib=(\d+)/.exec(run.stderr)?.[1] ?? NaN) };
  };
  const results = new Map<Mode, Measure>();
  for (const mode of MODES) {
    console.error(`epss: ${runs} × ${mode}…`);
    const all = await repeat(runs, () => child(mode));
    results.set(mode, {
      ms: median(all.map((r) => r.ms)),
      count: all[0]!.count,
      peakKiB: median(all.map((r) => r.peakKiB)),
    });
  }
  const base = results.get('zlib')!;
  // A bench that measured the wrong thing must not print a figure.
  if (results.get('store')!.count !== ROWS)
    throw new Error(`store counted ${results.get('store')!.count} rows, not ${ROWS}`);
  if (results.get('filter')!.count !== WANTED)
    throw new Error(`filter kept ${results.get('filter')!.count}, not ${WANTED}`);
  const what: Record<Mode, string> = {
    zlib: 'baseline: read + gunzip, no parsing',
    store: '`feeds` path: every row validated (zod), file stored',
    filter: `build path: loadEpssScores for ${WANTED} ids`,
  };
  const rows = MODES.map((mode) => {
    const r = results.get(mode)!;
    const counted =
      mode === 'zlib'
        ? fmt.bytes(r.count)
        : `${r.count} ${mode === 'store' ? 'rows' : 'scores kept'}`;
    return [
      what[mode],
      counted,
      fmt.ms(r.ms),
      fmt.ratio(r.ms / base.ms),
      Number.isNaN(r.peakKiB) ? 'n/a' : fmt.bytes(r.peakKiB * 1024),
      Number.isNaN(r.peakKiB) ? 'n/a' : signed((r.peakKiB - base.peakKiB) * 1024),
    ];
  });
  const body = `A made-up EPSS file in FIRST's format: ${ROWS} rows, ${fmt.bytes(statSync(file).size)} gzipped (${fmt.bytes(base.count)} of CSV); ${WANTED} of its ids are real CVE ids from the KEV fixture, the rest invented. Each operation runs in a Node process of its own; time is the operation alone (Node start excluded), peak memory is the whole process (GNU time %M), so the baseline's figure is what Node, the modules and zlib cost.

${table(['operation', 'counted', 'time', 'vs baseline', 'peak memory', 'vs baseline'], rows)}`;
  writeResults('epss', 'EPSS parse: 300k rows, filtered to 1,000 CVEs', runs, body);
}
