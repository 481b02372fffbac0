export {
  createPointsRule,
  deletePointsRule,
  earnOrderPoints,
  listPointsRules,
  type PointsEntryView,
  type PointsRuleView,
  pointsBalance,
  pointsHistory,
  pointsRuleInputSchema,
  redeemPoints,
  settleOrderPoints,
  updatePointsRule,
} from './points.ts';
export { buyTier, buyTierSchema } from './purchase.ts';
export {
  listTiers,
  type MemberStatus,
  type MembershipSettingsView,
  memberStatus,
  membersAtLeast,
  membershipSettings,
  settingsInputSchema,
  type TierView,
  tierInputSchema,
  tierRanks,
  updateMembershipSettings,
  updateTier,
} from './tiers.ts';
