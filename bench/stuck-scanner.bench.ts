// The seed's stuck scanner on the real Trivy (test/real-trivy/stuck.ts): per run, twelve plain
// `trivy image` processes (each of the six lab images twice) start at once on one empty cache
// folder, through a registry mirror that holds each blob back 2 s as a real DB download would
// take; then DockPeek scans the same images through the same mirror, six at once, in both of its
// strategies. Counts failed processes and images, and the kinds of failure, over BENCH_RUNS runs
// (default 5). Asserts nothing. Needs DOCKPEEK_REAL_TRIVY (bash .ci/build-trivy.sh), root, dockerd.
//   npm run bench:stuck-scanner
import { startRealLab } from '../test/real-trivy/lab.ts';
import { startCountingProxy } from '../test/real-trivy/processes.ts';
import { plainParallelScan, productScan } from '../test/real-trivy/stuck.ts';
import { findRealTools } from '../test/real-trivy/tools.ts';
import { table, writeResults } from './lib/results.ts';
import { benchRuns, fmt, median, repeat } from './lib/stats.ts';

const found = findRealTools();
if ('missing' in found)
  throw new Error(`bench:stuck-scanner needs the real Trivy: ${found.missing}`);
const tools = found.tools;
const runs = benchRuns();
const lab = await startRealLab(tools);
const mirror = await startCountingProxy(lab.registry.host, { blobDelayMs: 2000 });

/** A failure in a few words: what broke, without paths and numbers. */
function kind(error: string | undefined): string {
  if (!error) return 'no message (exit without FATAL)';
  if (/^panic: /.test(error)) return `crash: ${error.replace(/\d+/g, 'N').slice(0, 60)}`;
  if (/failed to update downloaded_at/.test(error)) return 'DB metadata gone or half-written';
  if (/failed to open db|trivy\.db: no such file/.test(error)) return 'DB file gone';
  if (/cache may be in use/.test(error)) return 'scan cache lock timeout';
  if (/oci download error|download error/.test(error)) return 'DB download collided';
  return error.slice(0, 80);
}

try {
  const plain = await repeat(runs, () => plainParallelScan(lab, tools, mirror.host));
  const product = {
    auto: await repeat(runs, () => productScan(lab, mirror.host, 6, 'auto')),
    memory: await repeat(runs, () => productScan(lab, mirror.host, 6, 'memory')),
  };
  const kinds = new Map<string, number>();
  for (const r of plain.flat().filter((r) => r.exitCode !== 0))
    kinds.set(kind(r.error), (kinds.get(kind(r.error)) ?? 0) + 1);
  const failedOf = (list: Array<{ exitCode: number }>) =>
    list.filter((r) => r.exitCode !== 0).length;
  const rows = [
    [
      'plain `trivy image`, 12 at once, one cache dir',
      `${plain.flat().length} processes`,
      `${plain.flat().filter((r) => r.exitCode !== 0).length}`,
      `${plain.filter((run) => failedOf(run) > 0).length} of ${runs}`,
      fmt.s(median(plain.map((run) => Math.max(...run.map((r) => r.ms))))),
    ],
    ...(['auto', 'memory'] as const).map((strategy) => {
      const images = product[strategy].flatMap((r) => r.stored);
      return [
        `DockPeek \`scan\` (${strategy === 'auto' ? 'private server' : 'memory'}), 6 workers`,
        `${images.length} images`,
        `${images.filter((s) => s.status !== 'scanned').length}`,
        `${product[strategy].filter((r) => r.exitCode !== 0).length} of ${runs}`,
        fmt.s(median(product[strategy].map((r) => r.ms))),
      ];
    }),
  ];
  writeResults(
    'stuck-scanner',
    'The stuck scanner on the real Trivy: plain parallel runs against DockPeek',
    runs,
    [
      `Trivy ${tools.trivy} (v0.74.0, built by .ci/build-trivy.sh). Six real images (test/real-trivy/cases.ts), a DB built by trivy-db from their reports' advisories, served by a local registry that holds each blob back 2 s. Each run starts from an empty cache folder.`,
      '',
      table(['what', 'scans', 'failed', 'runs with a failure', 'wall (median)'], rows),
      '',
      'What failed in the plain runs (Trivy deletes and unpacks the shared db/ folder while other processes read it; there is no lock between processes):',
      '',
      table(
        ['failure', 'processes'],
        [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n]),
      ),
    ].join('\n'),
  );
} finally {
  await mirror.close();
  await lab.stop();
}
