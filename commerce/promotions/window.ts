import type { PromotionStatus } from './terms.ts';

/**
 * Where a published promotion stands at `now`: scheduled before its window, active in it, ended
 * after it. Drafts stay drafts; a paused promotion stays paused until resumed, or ends with its
 * window.
 */
export function statusAt(
  row: { status: PromotionStatus; startsAt: Date; endsAt: Date },
  now: Date,
): PromotionStatus {
  if (row.status === 'draft' || row.status === 'ended') return row.status;
  if (now >= row.endsAt) return 'ended';
  if (row.status === 'paused') return 'paused';
  return now < row.startsAt ? 'scheduled' : 'active';
}
