// Repeated measurement and the few statistics the benches print. Benches assert nothing: they
// print medians over several runs and ratios against a baseline measured in the same run.

/** Runs per figure: BENCH_RUNS, default (and recommended minimum) 5. */
export function benchRuns(): number {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be ≥ 1, got ${runs}`);
  return runs;
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Call `fn` `runs` times, one after another, and collect what each call returns. */
export async function repeat<T>(runs: number, fn: (run: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) results.push(await fn(run));
  return results;
}

/** Wall time of `fn` in milliseconds, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export const fmt = {
  ms: (ms: number) =>
    ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`,
  s: (ms: number) => `${(ms / 1000).toFixed(2)} s`,
  bytes: (n: number) =>
    n >= 10 * 1024 * 1024
      ? `${(n / 1024 / 1024).toFixed(0)} MiB`
      : n >= 1024 * 1024
        ? `${(n / 1024 / 1024).toFixed(1)} MiB`
        : `${(n / 1024).toFixed(1)} KiB`,
  ratio: (r: number) => `${r.toFixed(2)}×`,
};
