// Built size of the site for the demo fleet and for bigger generated fleets (the demo repeated
// on more hosts): pages, total bytes, home page bytes raw and gzipped, build time. Figures only.
//   npm run bench:site            (BENCH_COPIES="1 6 12" to choose the fleets)
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { createDemoData } from '../pipeline/demo/create-demo-data.ts';

const copies = (process.env.BENCH_COPIES ?? '1 12').split(/\s+/).map(Number);
const histories = (process.env.BENCH_HISTORY ?? '0 100').split(/\s+/).map(Number);
const rows: string[] = [];
let baseline: { containers: number; home: number } | undefined;

for (const n of copies)
  for (const days of histories) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dpk-bench-site-'));
    const siteDir = path.join(mkdtempSync(path.join(tmpdir(), 'dpk-bench-www-')), 'site');
    const snapshot = await createDemoData(dataDir, new Date(), n, days);
    const started = performance.now();
    const run = await execa(
      process.execPath,
      [
        'bin/dockpeek-security.mjs',
        'build',
        '--data-dir',
        dataDir,
        '--site-dir',
        siteDir,
        '--quiet',
      ],
      { reject: false },
    );
    const ms = performance.now() - started;
    if (run.exitCode !== 0) throw new Error(run.stderr);
    const files = readdirSync(siteDir, { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    const total = files.reduce((sum, f) => sum + statSync(path.join(f.parentPath, f.name)).size, 0);
    const home = readFileSync(path.join(siteDir, 'index.html'));
    const gz = gzipSync(home, { level: 6 }).length;
    baseline ??= { containers: snapshot.containers.length, home: home.length };
    const perContainer = (home.length - 0) / snapshot.containers.length;
    rows.push(
      `| ${snapshot.containers.length} | ${days} | ${files.filter((f) => f.name.endsWith('.html')).length} | ${(total / 1024).toFixed(0)} KiB | ${(home.length / 1024).toFixed(0)} KiB | ${(gz / 1024).toFixed(1)} KiB | ${(home.length / baseline.home).toFixed(2)}x for ${(snapshot.containers.length / baseline.containers).toFixed(2)}x containers | ${perContainer.toFixed(0)} B | ${(ms / 1000).toFixed(1)} s |`,
    );
  }

console.log(
  '| containers | archived days | pages | site | home page | home gzip | home growth vs first row | home bytes/container | build (CLI wall) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
