// The site model's one entry module: pages import only types from here (test/site/imports.test.ts).
export type { SiteInput } from './build-model.ts';
export type { CvePage, SearchIndex } from './schema/cves.ts';
export type { ContainerRow, RowGroup, Table, UpdatePlan } from './schema/containers.ts';
export type { HistoryPage, HistoryPoint, SnapshotDiff, TrendChart } from './schema/history.ts';
export type { FindingRow, FindingsList, ImagePage } from './schema/images.ts';
export type { Security, SeverityCounts, Update } from './schema/security.ts';
export type { Freshness, ScanRun, SiteModel } from './schema/site.ts';
export type { Host, SeverityTotal, StateCounts, Summary } from './schema/summary.ts';
export type {
  AcceptedFinding,
  EpssMark,
  FeedAge,
  FixFirst,
  FixFirstItem,
  KevMark,
  RiskPage,
  RiskRule,
} from './schema/risk.ts';
export type {
  AnchorType,
  BadgeSeverity,
  FailureCode,
  Role,
  ScanStatus,
  Severity,
} from '../../vocabulary.ts';
