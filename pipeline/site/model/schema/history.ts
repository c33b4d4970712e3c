import { z } from 'zod';
import { BADGE_SEVERITIES, SEVERITIES } from '../../../vocabulary.ts';
import { TableSchema } from './containers.ts';
import { SummarySchema } from './summary.ts';

const count = z.number().int().nonnegative();

/** One archived snapshot on the trend chart and in the list. */
export const HistoryPointSchema = z.object({
  /** File-name-safe id, also the page name (history/<id>.html). */
  id: z.string().regex(/^snapshot-[0-9TZ-]+$/),
  takenAt: z.iso.datetime({ offset: true }),
  containers: count,
  hostsOk: count,
  hostsTotal: count,
  /** Findings over the scanned images; null when no image was scanned (a gap, never zero). */
  counts: z.record(z.enum(BADGE_SEVERITIES), count).nullable(),
  images: count,
  scannedImages: count,
  failedImages: count,
});
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

/** The trend chart, laid out: the page only draws it. */
export const TrendChartSchema = z.object({
  width: z.number(),
  height: z.number(),
  plot: z.object({ left: z.number(), right: z.number(), top: z.number(), bottom: z.number() }),
  series: z.array(
    z.object({
      key: z.enum(BADGE_SEVERITIES),
      label: z.string(),
      /** SVG polyline point lists, one per unbroken run of scanned snapshots. */
      segments: z.array(z.string()),
      dots: z.array(z.object({ x: z.number(), y: z.number(), label: z.string() })),
    }),
  ),
  /** Snapshots where no image was scanned: a dashed gap, not zero. */
  gaps: z.array(z.object({ x: z.number(), label: z.string() })),
  /** Snapshots with failed scans, told on hover and once in the legend. */
  failures: z.array(z.object({ x: z.number(), count: count, label: z.string() })),
  yTicks: z.array(z.object({ y: z.number(), value: count })),
  xLabels: z.array(z.object({ x: z.number(), text: z.string(), anchor: z.string() })),
});
export type TrendChart = z.infer<typeof TrendChartSchema>;

const DiffFindingSchema = z.object({
  id: z.string(),
  pkg: z.string(),
  severity: z.enum(SEVERITIES),
});

/** What changed since the snapshot before, and what could not be compared. */
export const SnapshotDiffSchema = z.object({
  previousAt: z.iso.datetime({ offset: true }),
  /** "host/name" */
  containersAdded: z.array(z.string()),
  containersRemoved: z.array(z.string()),
  imagesChanged: z.array(z.object({ container: z.string(), from: z.string(), to: z.string() })),
  cves: z.array(
    z.object({
      ref: z.string(),
      newImage: z.boolean(),
      idChanged: z.boolean(),
      added: z.array(DiffFindingSchema),
      fixed: z.array(DiffFindingSchema),
    }),
  ),
  /** References compared on both sides. */
  compared: count,
  /** References without scan data on one side: nothing can be said about their CVEs. */
  unknown: z.array(z.object({ ref: z.string(), side: z.enum(['before', 'after', 'both']) })),
});
export type SnapshotDiff = z.infer<typeof SnapshotDiffSchema>;

/** One archived snapshot's page: the dashboard as it was, and the changes. */
export const HistoryPageSchema = z.object({
  id: z.string(),
  takenAt: z.iso.datetime({ offset: true }),
  /** Null for the oldest archived snapshot. */
  diff: SnapshotDiffSchema.nullable(),
  summary: SummarySchema,
  table: TableSchema,
  /** Whether update states were recorded with this snapshot (archives before 1.2 have none). */
  updatesRecorded: z.boolean(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** The history section of the model: the trend, and which snapshot pages this build renders. */
export const HistorySchema = z.object({
  points: z.array(HistoryPointSchema),
  chart: TrendChartSchema.nullable(),
  /** Ids whose page this build renders; the others are linked from the published release. */
  render: z.array(z.string()),
  reused: z.array(z.string()),
});
export type History = z.infer<typeof HistorySchema>;
