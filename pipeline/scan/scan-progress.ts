import { formatDuration } from '../config/duration.ts';
import { logText } from '../safe-text.ts';

/** Counters of a scan run, reported as they change. */
export interface ScanCounters {
  done: number;
  total: number;
  running: number;
  failed: number;
  etaMs: number | undefined;
}

/** Where a scan run reports: a live line on a TTY, plain lines otherwise. */
export interface ScanProgress {
  update(counters: ScanCounters): void;
  /** A finished image, a note: printed as its own line. */
  line(text: string): void;
  finish(): void;
}

/** Live progress on a terminal (one rewritten line), plain log lines elsewhere (cron, CI). */
export function createScanProgress(stream: NodeJS.WriteStream, quiet = false): ScanProgress {
  const live = Boolean(stream.isTTY) && !quiet;
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };
  return {
    update(c) {
      if (!live) return;
      const eta = c.etaMs === undefined ? '' : ` · ETA ${formatDuration(c.etaMs)}`;
      clear();
      stream.write(`scan ${c.done}/${c.total} · running ${c.running} · failed ${c.failed}${eta}`);
      shown = true;
    },
    line(text) {
      if (quiet) return;
      clear();
      // Lines name images and failures a host or Trivy wrote: cleaned like every other log line.
      stream.write(`${logText(text)}\n`);
    },
    finish: clear,
  };
}

/** Remaining time from the mean duration so far, spread over the workers. */
export function estimateRemaining(
  durations: number[],
  remaining: number,
  workers: number,
): number | undefined {
  if (durations.length === 0) return undefined;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  return (mean * remaining) / Math.max(1, workers);
}
