// The membership context's types for views (dashboard/): types only.
export type { PointsEntryView, PointsRuleView } from './points.ts';
export type { MemberStatus, MembershipSettingsView, TierView } from './tiers.ts';
