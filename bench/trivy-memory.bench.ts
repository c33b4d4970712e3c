// Peak RSS of `dockpeek-security scan` when trivy prints too much: (a) 3 normal images, the
// baseline; (b) 3 trivys that each flood 400 MB (past the default 256 MiB cap); (c) one valid
// 200 MB report. GNU time's %M, medians of BENCH_RUNS runs, ratios against (a) of the same run.
// Then the streaming parser alone on that 200 MB report, in-process: MB/s of CPU and of wall time.
// Needs Debian's `time` package. Asserts nothing; throws when a case did not do what it should.
//   npm run bench:trivy-memory
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseReportFile } from '../pipeline/scan/parse-report.ts';
import { DbSchema } from '../pipeline/store/schema.ts';
import { imageIdOf, writeFleet, type FleetImage } from '../test/helpers/fleet.ts';
import { runCliPeakRss } from '../test/helpers/peak-rss.ts';
import { STANDIN } from '../test/helpers/standin.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat, timed } from './lib/stats.ts';

const MiB = 1024 * 1024;
const HUGE_BYTES = 200_000_000;
const normal = (i: number): FleetImage => ({
  ref: `bench/normal-${i}:1`,
  behaviour: { report: 'debian-buster', ms: 50 },
  on: { server: 1 },
});
const CASES: Array<{
  name: string;
  fleet: FleetImage[];
  expect: (db: ReturnType<typeof readDb>) => boolean;
}> = [
  {
    name: '(a) 3 normal images (baseline)',
    fleet: [0, 1, 2].map(normal),
    expect: (db) => Object.values(db.scans).every((s) => s.status === 'scanned'),
  },
  {
    name: '(b) 3 × 400 MB floods',
    fleet: [0, 1, 2].map((i) => ({
      ref: `bench/flood-${i}:1`,
      behaviour: { flood: 400 * MiB },
      on: { server: 1 as const },
    })),
    expect: (db) => Object.values(db.scans).every((s) => s.error?.code === 'output_too_large'),
  },
  {
    name: '(c) one valid 200 MB report',
    fleet: [
      {
        ref: 'bench/huge:1',
        behaviour: { output: 'huge', size: HUGE_BYTES, report: 'centos-7' },
        on: { server: 1 },
      },
    ],
    expect: (db) => (db.scans[imageIdOf('bench/huge:1')]?.summary?.findings ?? 0) > 40_000,
  },
];

function readDb(dir: string) {
  return DbSchema.parse(JSON.parse(readFileSync(path.join(dir, 'db.json'), 'utf8')));
}

async function measure(fleet: FleetImage[], check: (db: ReturnType<typeof readDb>) => boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-mem-'));
  const siteRoot = mkdtempSync(path.join(tmpdir(), 'dpk-bench-site-'));
  try {
    const env = {
      DOCKPEEK_DATA_DIR: dir,
      TRIVY_BIN: STANDIN,
      DPK_STANDIN_CONFIG: writeFleet(dir, {}, fleet),
      TRIVY_SCAN_WORKERS: '3',
      TRIVY_SCAN_TIMEOUT: '300s',
      HOME: dir,
    };
    const { ms, value: run } = await timed(() => runCliPeakRss(['scan'], env, dir));
    if (!check(readDb(dir))) throw new Error(`bench setup wrong: ${run.stderr.slice(-2000)}`);
    // Then the site build of that store (the finding: 3.2 GB and a 278 MB image page).
    // Apart from the data dir: the build refuses a site dir inside it.
    const site = path.join(siteRoot, 'site');
    const built = await timed(() => runCliPeakRss(['build', '--site-dir', site], env, dir));
    if (built.value.exitCode !== 0)
      throw new Error(`build failed: ${built.value.stderr.slice(-2000)}`);
    const pages = path.join(site, 'images');
    const largest = Math.max(...readdirSync(pages).map((f) => statSync(path.join(pages, f)).size));
    return {
      peakMiB: run.peakMiB,
      ms,
      buildPeakMiB: built.value.peakMiB,
      buildMs: built.ms,
      largest,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(siteRoot, { recursive: true, force: true });
  }
}

/** The 200 MB report as the stand-in prints it, in a file, for the parser alone. */
function writeHugeReport(dir: string): string {
  const config = path.join(dir, 'standin.json');
  writeFileSync(
    config,
    JSON.stringify({ default: { output: 'huge', size: HUGE_BYTES, report: 'centos-7' } }),
  );
  const file = path.join(dir, 'report.json');
  const args = [
    'image',
    '--format',
    'json',
    '--quiet',
    '--server',
    'http://x',
    '--',
    'bench/huge:1',
  ];
  const stdout = execFileSync(STANDIN, args, {
    env: { PATH: process.env.PATH, DPK_STANDIN_CONFIG: config },
    maxBuffer: 2 * HUGE_BYTES,
  });
  writeFileSync(file, stdout);
  return file;
}

const runs = benchRuns();
const rows: Array<Array<string | number>> = [];
let baseline = 0;
for (const c of CASES) {
  const results = await repeat(runs, () => measure(c.fleet, c.expect));
  const peak = median(results.map((r) => r.peakMiB));
  baseline ||= peak;
  rows.push([
    c.name,
    `${peak.toFixed(0)} MiB`,
    fmt.ratio(peak / baseline),
    fmt.s(median(results.map((r) => r.ms))),
    `${median(results.map((r) => r.buildPeakMiB)).toFixed(0)} MiB`,
    fmt.s(median(results.map((r) => r.buildMs))),
    fmt.bytes(median(results.map((r) => r.largest))),
  ]);
  console.log(rows.at(-1)!.join(' | '));
}

const dir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-parse-'));
const file = writeHugeReport(dir);
const mb = statSync(file).size / 1e6;
const parses = await repeat(runs, async () => {
  const cpu = process.cpuUsage();
  const { ms, value } = await timed(() => parseReportFile(file));
  if (!value?.ok || value.findings.length < 40_000) throw new Error('bench setup wrong: parse');
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
});
rmSync(dir, { recursive: true, force: true });
const wallMs = median(parses.map((p) => p.ms));
const cpuMs = median(parses.map((p) => p.cpuMs));

writeResults(
  'trivy-memory',
  'Peak memory of `scan` when trivy prints too much',
  runs,
  [
    'Peak RSS of the `dockpeek-security scan` process (GNU time `%M`: the largest RSS of the CLI or any one trivy it waited for) with 3 workers on the trivy stand-in; DOCKPEEK_TRIVY_MAX_OUTPUT at its default, 256 MiB. With the code before issue 11 (measured once, by test/reliability/trivy-floods.test.ts) the floods peaked at 2541 MiB and the 200 MB report at 939 MiB; the finding reported 3.4 GB and 1.4 GB. Then `dockpeek-security build` of the same store, peak RSS the same way (the build process and its render child): the finding reported 3.2 GB and a 278 MB image page for the 200 MB report; an image page now lists at most its 1,000 most important findings.',
    '',
    table(
      [
        'case',
        'scan peak RSS',
        'vs (a)',
        'scan wall',
        'build peak RSS',
        'build wall',
        'largest image page',
      ],
      rows,
    ),
    '',
    `Streaming parse of the same ${mb.toFixed(0)} MB report alone, in-process (validation, compact findings, sort): ${fmt.s(wallMs)} wall = ${(mb / (wallMs / 1000)).toFixed(0)} MB/s; ${fmt.s(cpuMs)} CPU = ${(mb / (cpuMs / 1000)).toFixed(0)} MB/s of CPU time (the machine is shared, so CPU time is the steadier figure).`,
  ].join('\n'),
);
