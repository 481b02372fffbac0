import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePrice } from './price.ts';

// shared/ lies beside the repository, on developer machines and in CI alike: a missing file fails
// the test (readFileSync throws) rather than skipping it.
const DATASET = fileURLToPath(
  new URL('../../../shared/datasets/prices/price-strings.jsonl', import.meta.url),
);

interface Case {
  text: string | null;
  hint: string | null;
  amount: string | null;
  currency_raw: string | null;
  decimal_separator: '.' | ',' | null;
  group: string;
}

/** "45", "45.0" and "045.00" are the same amount; compared on digits, no floats. */
function canonical(amount: string | null): string | null {
  if (amount === null) return null;
  const [integer = '', fraction = ''] = amount.split('.');
  const int = integer.replace(/^0+/, '') || '0';
  const frac = fraction.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

describe('parsePrice on the price-strings dataset', () => {
  it('gets ≥ 97% of amounts and ≥ 95% of currency texts right', () => {
    const cases = readFileSync(DATASET, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Case);
    expect(cases.length).toBe(555);

    const failures: string[] = [];
    let amounts = 0;
    let currencies = 0;
    for (const c of cases) {
      const parsed = parsePrice(c.text ?? '', { currency: c.hint, decimalSeparator: c.decimal_separator });
      const amountOk = canonical(parsed.amount) === canonical(c.amount);
      const currencyOk = parsed.currencyText === c.currency_raw;
      if (amountOk) amounts++;
      if (currencyOk) currencies++;
      if (!amountOk || !currencyOk) {
        failures.push(
          `${JSON.stringify(c.text)} | ${JSON.stringify(c.hint)} → ${parsed.amount} ${parsed.currencyText}, expected ${c.amount} ${c.currency_raw}`,
        );
      }
    }
    const amountRate = amounts / cases.length;
    const currencyRate = currencies / cases.length;
    console.log(
      `price strings: amounts ${amounts}/${cases.length} (${(amountRate * 100).toFixed(1)}%), ` +
        `currency texts ${currencies}/${cases.length} (${(currencyRate * 100).toFixed(1)}%), ${failures.length} failures`,
    );
    for (const failure of failures) console.log(`  ${failure}`);
    expect(amountRate).toBeGreaterThanOrEqual(0.97);
    expect(currencyRate).toBeGreaterThanOrEqual(0.95);
  });
});
