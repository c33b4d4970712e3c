import { BADGE_SEVERITIES, SEVERITY_WORDS } from '../../vocabulary.ts';
import type { HistoryPoint, TrendChart } from './schema/history.ts';

const SIZE = { width: 880, height: 240, left: 48, right: 16, top: 16, bottom: 40 } as const;

/** Lay points out on a time axis; a snapshot without scan data breaks the line, never drops to zero. */
export function buildTrendChart(points: HistoryPoint[]): TrendChart | null {
  if (points.length === 0) return null;
  const { width, height, left, right, top, bottom } = SIZE;
  const times = points.map((p) => Date.parse(p.takenAt));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const max = Math.max(
    1,
    ...points.flatMap((p) => (p.counts ? BADGE_SEVERITIES.map((s) => p.counts![s]) : [])),
  );
  const round = (n: number) => Math.round(n * 10) / 10;
  const x = (t: number) =>
    round(
      t1 === t0
        ? left + (width - left - right) / 2
        : left + ((t - t0) / (t1 - t0)) * (width - left - right),
    );
  const y = (v: number) => round(top + (1 - v / max) * (height - top - bottom));
  const day = (p: HistoryPoint) => p.takenAt.slice(0, 16).replace('T', ' ');

  const series = BADGE_SEVERITIES.map((key) => {
    const segments: string[] = [];
    const dots: TrendChart['series'][number]['dots'] = [];
    let current: string[] = [];
    points.forEach((p, i) => {
      if (!p.counts) {
        if (current.length) segments.push(current.join(' '));
        current = [];
        return;
      }
      const at = { x: x(times[i]!), y: y(p.counts[key]) };
      current.push(`${at.x},${at.y}`);
      dots.push({
        ...at,
        label: `${day(p)}: ${p.counts[key]} ${key} in ${p.scannedImages} of ${p.images} images`,
      });
    });
    if (current.length) segments.push(current.join(' '));
    return { key, label: SEVERITY_WORDS[key].label, segments, dots };
  });
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  const label = (i: number, anchor: string) => ({ x: x(times[i]!), text: day(points[i]!), anchor });
  return {
    width,
    height,
    plot: { left, right, top, bottom },
    series,
    gaps: points.flatMap((p, i) =>
      p.counts ? [] : [{ x: x(times[i]!), label: `${day(p)}: no image scanned (a gap, not zero)` }],
    ),
    failures: points.flatMap((p, i) =>
      p.failedImages
        ? [
            {
              x: x(times[i]!),
              count: p.failedImages,
              label: `${day(p)}: ${p.failedImages} image(s) failed to scan and are not counted`,
            },
          ]
        : [],
    ),
    yTicks: ticks.map((value) => ({ y: y(value), value })),
    xLabels:
      points.length === 1
        ? [label(0, 'middle')]
        : [label(0, 'start'), label(points.length - 1, 'end')],
  };
}
