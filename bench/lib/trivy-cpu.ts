// CPU time of every real trivy process a run starts: DockPeek is pointed (TRIVY_BIN) at a small
// bash wrapper that runs the real binary as its child and, when it ends, appends the child's
// user + system time (bash's `times`) to a log. The wrapper catches SIGTERM and SIGINT only to
// outlive its child: trivy gets the signal (its own handler, not an ignored one) and shuts down
// as it would; the wrapper then writes its line. A process killed with SIGKILL is not counted.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TrivyCpu {
  /** Give this as TRIVY_BIN. */
  bin: string;
  /** Lines logged since `from` (a count of lines): the first two arguments, and the CPU time. */
  read(from?: number): Array<{ command: string; cpuMs: number }>;
  count(): number;
}

const seconds = (text: string) => {
  const [, m = '0', s = '0'] = /(\d+)m([\d.]+)s/.exec(text) ?? [];
  return Number(m) * 60 + Number(s);
};

export function trivyCpuWrapper(trivy: string): TrivyCpu {
  // mkdtemp: a folder only this user can write, so nobody else can replace what DockPeek runs.
  const dir = mkdtempSync(path.join(tmpdir(), 'dpk-trivy-cpu-'));
  const log = path.join(dir, 'cpu.log');
  const bin = path.join(dir, 'trivy');
  writeFileSync(
    bin,
    `#!/bin/bash
trap 'true' TERM INT
${JSON.stringify(trivy)} "$@"
rc=$?
times > "${dir}/times.$$"
echo "$1 $2 $(tail -n 1 "${dir}/times.$$")" >> "${log}"
rm -f "${dir}/times.$$"
exit $rc
`,
  );
  chmodSync(bin, 0o700);
  const lines = () =>
    existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return {
    bin,
    count: () => lines().length,
    read: (from = 0) =>
      lines()
        .slice(from)
        .map((line) => {
          const [first = '', second = '', user = '', system = ''] = line.split(' ');
          const cpuMs = Math.round((seconds(user) + seconds(system)) * 1000);
          return { command: `${first} ${second}`, cpuMs };
        }),
  };
}
