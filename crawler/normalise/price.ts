import { type CurrencyMatch, currencyToIso, findCurrency, minorDigits } from './currency.ts';

export interface PriceHints {
  /** Text where the page shows the currency apart from the price, or an ISO code. */
  currency?: string | null;
  /** The page's decimal separator, when the caller knows it. */
  decimalSeparator?: '.' | ',' | null;
}

export interface ParsedPrice {
  /** Decimal string ("1299.00"), or null when the text holds no price. */
  amount: string | null;
  /** ISO 4217 code, or null when unknown. */
  currency: string | null;
  /** The currency marker as written ("€", "руб.", "US$"). */
  currencyText: string | null;
}

// Price texts are short; the cap keeps hostile input from costing anything.
const MAX_INPUT = 2000;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSeparator = (c: string | undefined): boolean => c === '.' || c === ',';
const isLetterOrDigit = (c: string | undefined): boolean => c !== undefined && /[\p{L}\d]/u.test(c);

/**
 * Maps look-alike characters onto ASCII one UTF-16 unit for one, so indexes into the folded
 * text are indexes into the original: full-width and Arabic-Indic digits, the many Unicode
 * spaces, and apostrophe variants used as thousands separators ("1’049").
 */
function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code >= 0x0660 && code <= 0x0669) out += String.fromCharCode(code - 0x0660 + 48);
    else if (code >= 0x06f0 && code <= 0x06f9) out += String.fromCharCode(code - 0x06f0 + 48);
    else if (code === 0x066b) out += '.';
    else if (code === 0x066c) out += ',';
    else if (
      code === 0x00a0 ||
      code === 0x202f ||
      code === 0x3000 ||
      (code >= 0x2000 && code <= 0x200b) ||
      code === 0x205f
    )
      out += ' ';
    else if (code === 0x2019 || code === 0x02bc || code === 0x00b4 || code === 0x2032 || code === 0x0060)
      out += "'";
    else out += text[i];
  }
  return out;
}

interface NumberRun {
  start: number;
  end: number;
  text: string;
}

function readDigits(s: string, from: number): number {
  let j = from;
  while (isDigit(s[j])) j++;
  return j;
}

/** Exactly three digits at `from`, not followed by a fourth: a thousands group. */
function isGroupOfThree(s: string, from: number): boolean {
  return isDigit(s[from]) && isDigit(s[from + 1]) && isDigit(s[from + 2]) && !isDigit(s[from + 3]);
}

/** Whether the run from `start` to `end` sits in a list of numbers ("38, 39, 40"), not a price. */
function inList(s: string, start: number, end: number): boolean {
  return (
    /^\s*[,.;/-]\s*\d/.test(s.slice(end, end + 4)) ||
    /\d\s*[,;]\s*$/.test(s.slice(Math.max(0, start - 4), start))
  );
}

function scanRun(s: string, start: number): NumberRun | null {
  let j = start;
  while (isSeparator(s[j])) j++;
  if (!isDigit(s[j])) return null;
  const leading = j > start;
  const firstEnd = readDigits(s, j);
  // Spaces and apostrophes group thousands only in a plain "1 234 567" integer prefix.
  let spacesGroup = !leading && firstEnd - j <= 3;
  let sawSeparator = false;
  // The one separator seen so far when it only grouped thousands ("1.249"), else null: a stray
  // space may still follow the other separator, the decimal one ("1.249, 90 TL").
  let grouping: string | null = null;
  j = firstEnd;
  // A stray space after a decimal separator `c` at j: none seen yet, or only thousands groups
  // marked by the other separator.
  const strayAllowed = (c: string): boolean => !sawSeparator || (grouping !== null && grouping !== c);
  for (;;) {
    const c = s[j];
    if (isSeparator(c) && isDigit(s[j + 1])) {
      const next = readDigits(s, j + 1);
      grouping =
        c !== undefined && next - j - 1 === 3 && firstEnd - start <= 3 && (!sawSeparator || grouping === c)
          ? c
          : null;
      j = next;
      sawSeparator = true;
      spacesGroup = false;
    } else if (
      c === '.' &&
      s[j + 1] === ' ' &&
      isDigit(s[j + 2]) &&
      isDigit(s[j + 3]) &&
      !isDigit(s[j + 4]) &&
      strayAllowed(c)
    ) {
      // "$119. 95": a stray space after the decimal point.
      j += 4;
      sawSeparator = true;
      spacesGroup = false;
    } else if (
      c === ',' &&
      s[j + 1] === ' ' &&
      isDigit(s[j + 2]) &&
      isDigit(s[j + 3]) &&
      !isDigit(s[j + 4]) &&
      strayAllowed(c) &&
      !inList(s, start, j + 4)
    ) {
      // "118, 99 TL": the same stray space after a decimal comma; "38, 39, 40" is a list.
      j += 4;
      sawSeparator = true;
      spacesGroup = false;
    } else if (
      c === ' ' &&
      isSeparator(s[j + 1]) &&
      isDigit(s[j + 2]) &&
      isDigit(s[j + 3]) &&
      !isDigit(s[j + 4]) &&
      strayAllowed(s[j + 1]!) &&
      !inList(s, start, j + 4)
    ) {
      // "118 ,99 TL": the stray space before the decimal separator (not "38 ,39 ,40", a list).
      j += 4;
      sawSeparator = true;
      spacesGroup = false;
    } else if ((c === ' ' || c === "'") && spacesGroup && isGroupOfThree(s, j + 1)) {
      j += 4;
    } else {
      break;
    }
  }
  return { start, end: j, text: s.slice(start, j) };
}

function scanNumbers(s: string): NumberRun[] {
  const runs: NumberRun[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const startsHere = isDigit(c) || (isSeparator(c) && !isLetterOrDigit(s[i - 1]));
    if (!startsHere) continue;
    const run = scanRun(s, i);
    if (!run) continue;
    // "20% off" is a discount, not a price.
    if (!/^ ?%/.test(s.slice(run.end, run.end + 2))) runs.push(run);
    i = run.end - 1;
  }
  return runs;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/**
 * Which of "." and "," is the decimal separator, or null for none. The last separator is the
 * decimal one when both occur; a separator occurring more than once groups thousands; a single
 * one followed by exactly three digits after a 1–3 digit, non-zero integer part groups thousands
 * too ("1.299", "$699,000"), as shops almost never show three decimals.
 */
function guessDecimalSeparator(body: string): '.' | ',' | null {
  const dots = count(body, '.');
  const commas = count(body, ',');
  if (dots === 0 && commas === 0) return null;
  if (dots > 0 && commas > 0) {
    const last = body[Math.max(body.lastIndexOf('.'), body.lastIndexOf(','))] as '.' | ',';
    return count(body, last) === 1 ? last : null;
  }
  const sep = dots > 0 ? '.' : ',';
  if (dots + commas > 1) return null;
  const [integer = '', fraction = ''] = body.split(sep);
  if (fraction.length === 3 && integer.length <= 3 && integer !== '0' && integer !== '') return null;
  return sep;
}

function toDecimal(run: string, decimalSeparator: '.' | ',' | null | undefined): string | null {
  let body = run.replace(/[ ']/g, '');
  const lead = /^[.,]+/.exec(body);
  if (lead) {
    body = body.slice(lead[0].length);
    // ".75" and "$..75": a fraction with no integer part.
    if (/^\d+$/.test(body)) return `0.${body}`;
  }
  const sep = decimalSeparator ?? guessDecimalSeparator(body);
  let integer = body;
  let fraction = '';
  if (sep && body.includes(sep)) {
    const at = body.lastIndexOf(sep);
    integer = body.slice(0, at);
    fraction = body.slice(at + 1);
  }
  integer = integer.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/[.,]/g, '');
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction)) return null;
  return fraction ? `${integer}.${fraction}` : integer;
}

function adjacent(s: string, run: NumberRun, marker: CurrencyMatch): boolean {
  const gap = run.end <= marker.index ? s.slice(run.end, marker.index) : s.slice(marker.end, run.start);
  return gap.length <= 3 && /^[\s:]*$/.test(gap);
}

interface Located {
  match: CurrencyMatch;
  inText: boolean;
}

/** Safe markers in the price text, then in the hint, then loose markers likewise. */
function locateCurrency(text: string, hint: string): Located | null {
  for (const tier of ['safe', 'loose'] as const) {
    const inText = findCurrency(text, tier);
    if (inText && tier === 'loose') {
      // A loose word before the amount gives way to a marker after it: "Nu 279,00 kr." is
      // Danish for "now 279 kroner", not ngultrum.
      const later = findCurrency(text.slice(inText.end), tier);
      if (later && /^[\s:]*\d[\d.,\s']*$/.test(text.slice(inText.end, inText.end + later.index)))
        return {
          match: { text: later.text, index: later.index + inText.end, end: later.end + inText.end },
          inText: true,
        };
    }
    if (inText) return { match: inText, inText: true };
    const inHint = findCurrency(hint, tier);
    if (inHint) return { match: inHint, inText: false };
  }
  return null;
}

const FREE =
  /(?<!\p{L})(free|gratis|kostenlos|gratuit|gratuito|gratuita|bezpłatnie|zdarma|бесплатно|無料|免费)(?!\p{L})/iu;
const ISO_CODE = /(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])/g;

/** An ISO code written in `texts` that the marker may stand for: "$" next to "CAD". */
function codeInContext(marker: string, texts: string[]): string | null {
  for (const text of texts) {
    for (const m of text.matchAll(ISO_CODE)) {
      const code = m[0];
      if (code !== marker && currencyToIso(marker, code) === code) return code;
    }
  }
  return null;
}

/** Three-decimal currencies whose home writes a decimal comma (CLDR: fr-TN, ar-TN, ar-LY). */
const DECIMAL_COMMA_AT_HOME = new Set(['TND', 'LYD']);

/**
 * Parses a price as a shop writes it: "1.299,00 €" → 1299.00 EUR, "$1,299" → 1299 USD,
 * "Price: from 19.99" → 19.99. Takes the first price-like number, preferring one next to the
 * currency marker; percentages are skipped. No floating point is involved.
 */
export function parsePrice(text: string, hints: PriceHints = {}): ParsedPrice {
  const original = (text ?? '').slice(0, MAX_INPUT);
  const folded = fold(original);
  const hintOriginal = (hints.currency ?? '').slice(0, MAX_INPUT);
  const hintFolded = fold(hintOriginal);

  const located = locateCurrency(folded, hintFolded);
  const runs = scanNumbers(folded);
  let chosen = runs[0];
  if (located?.inText) chosen = runs.find((run) => adjacent(folded, run, located.match)) ?? chosen;

  let amount = chosen ? toDecimal(chosen.text, hints.decimalSeparator) : null;
  if (!chosen && FREE.test(folded)) amount = '0';

  if (!located) return { amount, currency: null, currencyText: null };
  const source = located.inText ? original : hintOriginal;
  const currencyText = source.slice(located.match.index, located.match.end);
  const markerText = located.match.text;
  const preferred = codeInContext(markerText, [folded, hintFolded]);
  const currency = currencyToIso(markerText, preferred);
  // The symbol as the decimal point, as French shops print prices ("64€99" is 64.99): digits,
  // the symbol right after them, then exactly two digits.
  if (
    chosen &&
    located.inText &&
    amount !== null &&
    !amount.includes('.') &&
    chosen.end === located.match.index &&
    !/\p{L}/u.test(markerText)
  ) {
    const cents = /^(\d{2})(?!\d)/.exec(folded.slice(located.match.end));
    if (cents) amount = `${amount}.${cents[1]}`;
  }
  // Dinars and rials with three decimals ("KD 15.500" is fifteen and a half): one point before
  // exactly three digits is their decimal point, not a thousands group. A comma there is read as
  // the currency's home writes it: Gulf shops group thousands with it, Tunisian and Libyan shops
  // write their millimes and dirhams after it ("45,500 DT" is forty-five and a half).
  if (chosen && !hints.decimalSeparator && currency && minorDigits(currency) === 3) {
    const single = chosen.text.trim();
    if (/^\d{1,3}\.\d{3}$/.test(single)) amount = toDecimal(chosen.text, '.');
    else if (/^\d{1,3},\d{3}$/.test(single) && DECIMAL_COMMA_AT_HOME.has(currency))
      amount = toDecimal(chosen.text, ',');
  }
  return { amount, currency, currencyText };
}
