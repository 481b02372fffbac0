// The overview's types for views (dashboard/): types only.
export type { Overview, OverviewEvent } from './overview.ts';
