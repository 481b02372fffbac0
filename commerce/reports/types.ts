// The reports' types for views (dashboard/): types only.
export type { Grain, ReportRange } from './range.ts';
export type { ColumnKind, ReportColumn, ReportInfo, ReportName, ReportResult, ReportRow } from './reports.ts';
