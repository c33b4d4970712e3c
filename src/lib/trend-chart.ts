import type { HistoryPoint } from './history-points.ts';

export const CHART = { width: 880, height: 240, left: 48, right: 16, top: 16, bottom: 40 } as const;
const SERIES = ['critical', 'high', 'medium', 'low'] as const;

/** A drawable trend: one polyline per unbroken run of points, per severity, plus failure marks. */
export interface TrendChart {
  series: Array<{
    key: (typeof SERIES)[number];
    segments: string[];
    dots: Array<{ x: number; y: number; label: string }>;
  }>;
  /** Snapshots where no image was scanned: drawn as a gap with a mark, not as zero. */
  gaps: Array<{ x: number; label: string }>;
  /** Snapshots with failed scans: a mark under the axis with the count. */
  failures: Array<{ x: number; count: number; label: string }>;
  yTicks: Array<{ y: number; value: number }>;
  xLabels: Array<{ x: number; text: string }>;
}

/** Lay points out on a time axis; a null count breaks the line instead of dropping to zero. */
export function buildTrendChart(points: HistoryPoint[]): TrendChart {
  const { width, height, left, right, top, bottom } = CHART;
  const times = points.map((p) => Date.parse(p.takenAt));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const max = Math.max(
    1,
    ...points.flatMap((p) => (p.counts ? SERIES.map((s) => p.counts![s]) : [])),
  );
  const x = (t: number) =>
    t1 === t0
      ? left + (width - left - right) / 2
      : left + ((t - t0) / (t1 - t0)) * (width - left - right);
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const round = (n: number) => Math.round(n * 10) / 10;

  const series = SERIES.map((key) => {
    const segments: string[] = [];
    const dots: Array<{ x: number; y: number; label: string }> = [];
    let current: string[] = [];
    points.forEach((p, i) => {
      if (!p.counts) {
        if (current.length) segments.push(current.join(' '));
        current = [];
        return;
      }
      const px = round(x(times[i]!));
      const py = round(y(p.counts[key]));
      current.push(`${px},${py}`);
      dots.push({ x: px, y: py, label: `${p.takenAt}: ${p.counts[key]} ${key}` });
    });
    if (current.length) segments.push(current.join(' '));
    return { key, segments, dots };
  });
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  const labelAt = (i: number) => ({
    x: round(x(times[i]!)),
    text: points[i]!.takenAt.slice(0, 16).replace('T', ' '),
  });
  return {
    series,
    gaps: points.flatMap((p, i) =>
      p.counts ? [] : [{ x: round(x(times[i]!)), label: `${p.takenAt}: no image scanned` }],
    ),
    failures: points.flatMap((p, i) =>
      p.failedImages
        ? [
            {
              x: round(x(times[i]!)),
              count: p.failedImages,
              label: `${p.takenAt}: ${p.failedImages} failed scan(s)`,
            },
          ]
        : [],
    ),
    yTicks: ticks.map((value) => ({ y: round(y(value)), value })),
    xLabels: points.length === 1 ? [labelAt(0)] : [labelAt(0), labelAt(points.length - 1)],
  };
}
