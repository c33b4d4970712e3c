import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamFindings } from '../../pipeline/scan/reports.ts';
import { summarize } from '../../pipeline/scan/finding.ts';
import { DbSchema } from '../../pipeline/store/schema.ts';
import { makeDataDir } from '../helpers/cli.ts';
import { imageIdOf, writeFleet, type FleetImage } from '../helpers/fleet.ts';
import { runCliPeakRss } from '../helpers/peak-rss.ts';
import { STANDIN, isScan, readInvocations, reportCounts } from '../helpers/standin.ts';

// Trivy output that is too much, through the real `scan` command with peak RSS measured. Found by
// an attacker's test: three 400 MB outputs drove the CLI to 3.4 GB RSS (stdout was buffered up to
// the 256 MiB cap, per scan), and a valid 200 MB report took 1.4 GB (JSON.parse of the whole text).
//
// Bounds: the CLI with 3 worker threads peaks at ~215 MiB on 3 small images (measured here,
// Node 24); 3 floods add nothing measurable (trivy writes into a file, no byte passes through the
// CLI) and the 200 MB report adds the parse state plus its ~43 000 compact findings (230-285 MiB
// measured, 1 worker). 400 MiB leaves ~40% margin for a slower GC on a loaded machine, and is far
// below what either finding needed (one buffered flood alone is 256 MiB on top of the baseline).
const PEAK_BOUND_MIB = 400;
const MiB = 1024 * 1024;

interface Row {
  title: string;
  fleet: FleetImage[];
  /** Exit code of `scan`. */
  exit: number;
  check: (t: { dataDir: string; log: string }) => Promise<void> | void;
}

const normal = (i: number): FleetImage => ({
  ref: `app/normal-${i}:1`,
  behaviour: { report: 'debian-buster', ms: 10 },
  on: { server: 1 },
});
const flood = (i: number): FleetImage => ({
  ref: `evil/flood-${i}:1`,
  behaviour: { flood: 400 * MiB },
  on: { server: 1 },
});
const HUGE = 'big/report:1';

const readDb = (dataDir: string) =>
  DbSchema.parse(JSON.parse(readFileSync(path.join(dataDir, 'db.json'), 'utf8')));

const ROWS: Row[] = [
  {
    title: 'three 400 MB floods beside two normal images, 3 workers',
    fleet: [flood(0), flood(1), flood(2), normal(0), normal(1)],
    exit: 2,
    check: ({ dataDir }) => {
      const scans = readDb(dataDir).scans;
      for (const i of [0, 1, 2]) {
        expect(scans[imageIdOf(`evil/flood-${i}:1`)]).toMatchObject({
          status: 'failed',
          error: {
            code: 'output_too_large',
            message:
              'trivy printed more than 256 MB on stdout (DOCKPEEK_TRIVY_MAX_OUTPUT); it was stopped there and its output discarded',
          },
        });
      }
      for (const i of [0, 1])
        expect(scans[imageIdOf(`app/normal-${i}:1`)]).toMatchObject({
          status: 'scanned',
          summary: reportCounts('debian-buster'),
        });
    },
  },
  {
    title: 'a valid 200 MB report',
    fleet: [
      {
        ref: HUGE,
        behaviour: { output: 'huge', size: 200_000_000, report: 'centos-7' },
        on: { server: 1 },
      },
    ],
    exit: 0,
    check: async ({ dataDir, log }) => {
      // The stand-in's own account of what it wrote: the counts to expect, and the size.
      const written = readInvocations(log).find((c) => isScan(c) && c.bytes !== undefined)!;
      expect(written.bytes).toBeGreaterThanOrEqual(200_000_000);
      const record = readDb(dataDir).scans[imageIdOf(HUGE)]!;
      expect(record).toMatchObject({ status: 'scanned', summary: written.summary });
      expect(record.summary!.findings).toBeGreaterThan(40_000);
      // The findings file, read back as a stream, holds exactly those findings.
      const stored = [];
      for await (const f of streamFindings(path.join(dataDir, 'reports'), record.report!))
        stored.push({ id: f.id, severity: f.severity, fixed: f.fixed });
      expect(summarize(stored as never)).toEqual(written.summary);
    },
  },
];

describe('trivy output floods through the real `scan` command', () => {
  it.each(ROWS)('$title', async (row) => {
    const dataDir = makeDataDir();
    const log = path.join(dataDir, 'trivy.log');
    const run = await runCliPeakRss(
      ['scan'],
      {
        DOCKPEEK_DATA_DIR: dataDir,
        TRIVY_BIN: STANDIN,
        DPK_STANDIN_CONFIG: writeFleet(dataDir, {}, row.fleet),
        DPK_STANDIN_LOG: log,
        TRIVY_SCAN_WORKERS: '3',
        TRIVY_SCAN_TIMEOUT: '100s',
        HOME: dataDir,
      },
      dataDir,
    );
    console.log(`${row.title}: peak RSS ${run.peakMiB.toFixed(0)} MiB`);
    expect(run.exitCode, run.stderr).toBe(row.exit);
    expect(run.stderr).not.toMatch(/unexpected failure|at .+\.ts:\d+/);
    await row.check({ dataDir, log });
    // Nothing of trivy's output is left behind: the temp files are gone whatever happened.
    const incoming = path.join(dataDir, 'reports', '.incoming');
    expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
    expect(run.peakMiB).toBeLessThan(PEAK_BOUND_MIB);
  });
});
