/**
 * Decimal amount strings ("12.30") and integer minor units (1230 fen), converted with integer
 * arithmetic only: a float never holds money here.
 */

const decimal = /^(\d{1,15})(?:\.(\d{1,4}))?$/;

/** Digits after the decimal point in a currency's minor unit (CNY, EUR: 2; JPY: 0; KWD: 3). */
export function minorDigits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: ${currency}`);
  // ICU knows every ISO 4217 currency's minor unit; no table of our own to keep up to date.
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** "12.30" CNY → 1230. Refuses more decimals than the currency has, negative and malformed amounts. */
export function toMinorUnits(amount: string, currency: string): number {
  const match = decimal.exec(amount);
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const digits = minorDigits(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) throw new RangeError(`${amount} has more decimals than ${currency} allows`);
  const minor = BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${amount} is too large`);
  return Number(minor);
}

/** 1230 CNY → "12.30"; 1230 JPY → "1230". */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`Not a minor-unit amount: ${minor}`);
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The same amount written with exactly the currency's decimals: "12.3" → "12.30" (Alipay wants two). */
export function normaliseAmount(amount: string, currency: string): string {
  return fromMinorUnits(toMinorUnits(amount, currency), currency);
}
