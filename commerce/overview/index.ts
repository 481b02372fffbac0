export {
  backOfficeOverview,
  LARGE_PRICE_CHANGE,
  type Overview,
  type OverviewEvent,
  type OverviewScope,
} from './overview.ts';
