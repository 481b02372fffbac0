import { minorUnitsOf } from './currency-digits.ts';
import { Prisma } from './db/index.ts';

/**
 * Money is Decimal (decimal.js through Prisma), never a float. Amounts are rounded to the
 * currency's minor unit (2 for EUR, 0 for JPY) half away from zero, as shops print them.
 */
export type Money = Prisma.Decimal;
export const Decimal = Prisma.Decimal;
/** What makes a Decimal: a string ("12.30"), an integer number, or a Decimal. */
export type MoneyInput = string | number | Prisma.Decimal;

export { minorUnitsOf } from './currency-digits.ts';

export function money(value: MoneyInput): Prisma.Decimal {
  return new Prisma.Decimal(value);
}

/** Rounded to the currency's minor unit. */
export function roundMoney(value: MoneyInput, currency: string): Prisma.Decimal {
  return new Prisma.Decimal(value).toDecimalPlaces(minorUnitsOf(currency), Prisma.Decimal.ROUND_HALF_UP);
}

export const ZERO = new Prisma.Decimal(0);

export function sum(values: Iterable<Prisma.Decimal>): Prisma.Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/** A fixed-point string with the currency's digits ("12.30", "1200"): how amounts leave the service. */
export function formatAmount(value: MoneyInput, currency: string): string {
  return new Prisma.Decimal(value).toFixed(minorUnitsOf(currency), Prisma.Decimal.ROUND_HALF_UP);
}

/** A decimal amount as a string: at most 2 decimals, positive, no exponent. */
export const amountPattern = /^\d{1,12}(\.\d{1,2})?$/;
