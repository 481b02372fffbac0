const minorUnits = new Map<string, number>();

/**
 * Digits after the decimal point for a currency (ISO 4217: 2 for EUR, 0 for JPY, 3 for KWD), from
 * Intl; 2 when Intl does not know the code. Kept apart from core/money so that extraction can ask
 * without loading Prisma.
 */
export function minorUnitsOf(currency: string): number {
  let digits = minorUnits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnits.set(currency, digits);
  }
  return digits;
}
