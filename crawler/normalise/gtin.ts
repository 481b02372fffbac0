const VALID_LENGTHS = new Set([8, 12, 13, 14]);

/** GS1 mod-10: weights 3,1,3,1… from the digit left of the check digit. */
function hasValidCheckDigit(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

function check(digits: string): string | null {
  // All zeros passes the checksum; shops use it for "no GTIN".
  if (!VALID_LENGTHS.has(digits.length) || /^0+$/.test(digits)) return null;
  return hasValidCheckDigit(digits) ? digits : null;
}

/**
 * A GTIN-8/12/13/14 as digits, or null when the text holds no valid one. Spaces, dashes and dots
 * inside the number are dropped ("4 006381 33393 1"); a label around it ("EAN: …") is ignored.
 */
export function normaliseGtin(text: string | null | undefined): string | null {
  if (!text) return null;
  const value = text.trim().slice(0, 200);
  const compact = value.replace(/[\s.-]/g, '');
  if (/^\d+$/.test(compact)) return check(compact);
  const runs = value.match(/(?<!\d)\d[\d\s-]{6,18}\d(?!\d)/g) ?? [];
  const valid = runs.map((run) => check(run.replace(/[\s-]/g, ''))).filter((gtin) => gtin !== null);
  // Two different valid numbers in one label leave no way to tell which is meant.
  return valid.length === 1 ? (valid[0] ?? null) : null;
}
