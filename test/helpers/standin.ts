import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const STANDIN = path.resolve(import.meta.dirname, '../trivy-stand-in/trivy');
export const REPORTS = path.resolve(import.meta.dirname, '../fixtures/trivy-reports');

/** One logged stand-in invocation. */
export interface Invocation {
  pid: number;
  argv: string[];
  dockerHost: string | null;
  start: number;
  end: number;
  exit?: number;
  hang?: boolean;
  fatal?: string;
  /** Where the server token came from: the environment, the --token flag, or nowhere. */
  tokenFrom?: 'env' | 'flag' | null;
  /** `output: huge`: bytes written and the counts of what was written, as the report counts. */
  bytes?: number;
  summary?: ReturnType<typeof reportCounts>;
  /** User + system CPU of the process when it logged the line. */
  cpuMs?: number;
  /** A scan of an image with `layers`: how many it has, and the names of those it analysed. */
  layers?: { total: number; analysed: string[] };
  /** Lines of `trivy server`: once listening, per Scan (`scanned`), and when it ends. */
  server?: true;
  listening?: string;
  scanned?: string;
  crashed?: boolean;
}

export function readInvocations(log: string): Invocation[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Invocation);
}

export const isScan = (i: Invocation) =>
  i.argv[0] === 'image' && !i.argv.includes('--download-db-only');

/** Lines logged by `trivy server` processes. */
export const isServer = (i: Invocation) => i.argv[0] === 'server';

/** Largest number of intervals open at once. */
export function maxOverlap(intervals: Array<[number, number]>): number {
  const events = intervals
    .flatMap(([s, e]) => [[s, 1] as const, [e, -1] as const])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of events) max = Math.max(max, (open += delta));
  return max;
}

/** Counts straight from a fixture report, independent of the product's code. */
export function reportCounts(name: string) {
  const report = JSON.parse(readFileSync(path.join(REPORTS, `${name}.json`), 'utf8'));
  const vulns: Array<{ VulnerabilityID: string; Severity: string; FixedVersion?: string }> = (
    report.Results ?? []
  ).flatMap((r: { Vulnerabilities?: unknown[] }) => r.Vulnerabilities ?? []);
  const count = (s: string) => vulns.filter((v) => v.Severity === s).length;
  return {
    counts: {
      critical: count('CRITICAL'),
      high: count('HIGH'),
      medium: count('MEDIUM'),
      low: count('LOW'),
      unknown: count('UNKNOWN'),
    },
    findings: vulns.length,
    uniqueCves: new Set(vulns.map((v) => v.VulnerabilityID)).size,
    fixable: vulns.filter((v) => v.FixedVersion).length,
  };
}

/** Processes whose command line holds the marker (for orphan checks). */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Whether a process runs: it exists and is not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
