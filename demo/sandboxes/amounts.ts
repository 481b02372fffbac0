/**
 * The gateways' own amount arithmetic, in integer minor units (bigint for Alipay's decimals, safe
 * integers for WeChat Pay's fen). Written apart from the merchant side's money code on purpose: a
 * sandbox that shared it would agree with the merchant's mistakes.
 */

/** Alipay's amount format: yuan (or the trans_currency's unit) with at most two decimals. */
export const alipayAmountPattern = /^(0|[1-9]\d{0,9})(\.\d{1,2})?$/;

export function centsOf(amount: string): bigint {
  const [units = '0', fraction = ''] = amount.split('.');
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export function amountOf(cents: bigint): string {
  const text = cents.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** WeChat Pay amounts are integers in the currency's smallest unit: 1230 CNY fen is "12.30". */
export function minorToDisplay(minor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
