/**
 * Amount and currency-text accuracy of the price parser on a price-strings file (JSON lines of
 * {text, hint, amount, currency_raw, decimal_separator}).
 *
 *   node --import tsx scripts/eval-prices.ts ../shared/datasets/prices/price-strings.jsonl [--failures]
 */
import { readFileSync } from 'node:fs';
import { canonicalDecimal } from '../crawler/extract/eval/score.ts';
import { parsePrice } from '../crawler/normalise/price.ts';

interface Case {
  text: string | null;
  hint: string | null;
  amount: string | null;
  currency_raw: string | null;
  decimal_separator: '.' | ',' | null;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: eval-prices.ts FILE.jsonl [--failures]\n');
  process.exit(2);
}
const cases = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Case);
let amounts = 0;
let currencies = 0;
const failures: string[] = [];
for (const c of cases) {
  const parsed = parsePrice(c.text ?? '', { currency: c.hint, decimalSeparator: c.decimal_separator });
  const amountOk =
    (parsed.amount === null ? null : canonicalDecimal(parsed.amount)) ===
    (c.amount === null ? null : canonicalDecimal(c.amount));
  const currencyOk = parsed.currencyText === c.currency_raw;
  if (amountOk) amounts++;
  if (currencyOk) currencies++;
  if (!amountOk || !currencyOk)
    failures.push(
      `${JSON.stringify(c.text)} → ${parsed.amount} ${parsed.currencyText}, expected ${c.amount} ${c.currency_raw}`,
    );
}
const pct = (n: number): string => `${((n / Math.max(1, cases.length)) * 100).toFixed(1)}%`;
process.stdout.write(
  `${cases.length} price strings\namount        ${amounts}/${cases.length} ${pct(amounts)}\ncurrency text ${currencies}/${cases.length} ${pct(currencies)}\n`,
);
if (process.argv.includes('--failures')) for (const f of failures) process.stdout.write(`  ${f}\n`);
