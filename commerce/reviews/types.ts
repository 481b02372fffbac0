// The reviews context's types for views (dashboard/): types only.
export type { RatingSummary, ReviewView } from './reviews.ts';
