/**
 * Calibration offsets by `field:source`, fitted on the development sets by
 * `npm run eval:extraction -- --fit-calibration` (see calibration.ts). Generated: do not edit.
 */
export const CALIBRATION_OFFSETS: Record<string, number> = {
  'availability:heuristics': 0.335,
  'availability:jsonld': 0.049,
  'availability:microdata': 0.048,
  'availability:opengraph': 0.039,
  'availability:state': 0.015,
  'currency:jsonld': 0.038,
  'currency:locale': 0.131,
  'currency:microdata': 0.028,
  'currency:opengraph': 0.058,
  'price:heuristics': 0.258,
  'price:jsonld': 0.024,
  'price:microdata': 0.047,
  'price:opengraph': 0.027,
  'price:state': 0.004,
  'sku:heuristics': 0.06,
  'sku:jsonld': 0.035,
  'sku:microdata': -0.039,
  'sku:opengraph': -0.023,
  'sku:state': 0.027,
};
