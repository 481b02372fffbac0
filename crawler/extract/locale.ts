/**
 * The currency a page's prices are in, from what the page says about where it sells: currency
 * codes in its own scripts and data attributes ("currency":"CLP"), the region of its language
 * (`<html lang="es-CL">`, `og:locale`, the `hreflang` of its own URL), a locale in its URL path
 * (`/en-ca/`, `/ar/en/`) and its domain's country. Used when the price's symbol is shared by
 * several currencies ("$", "kr", "¥") or missing, and no structured data names the currency.
 */
import type { AnyNode, Element } from 'domhandler';
import { currencyAlternatives, currencyToIso, isIsoCode } from '../normalise/currency.ts';
import { indexPage, rawTextOf, textOf, walk } from './dom.ts';

/** ISO 3166 country → ISO 4217 currency, for the countries shops sell from. */
const COUNTRY_CURRENCY: Record<string, string> = {
  US: 'USD',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  SG: 'SGD',
  HK: 'HKD',
  TW: 'TWD',
  MX: 'MXN',
  AR: 'ARS',
  CL: 'CLP',
  CO: 'COP',
  UY: 'UYU',
  BR: 'BRL',
  PE: 'PEN',
  EC: 'USD',
  SV: 'USD',
  PA: 'USD',
  PR: 'USD',
  DO: 'DOP',
  JM: 'JMD',
  TT: 'TTD',
  BS: 'BSD',
  BB: 'BBD',
  BZ: 'BZD',
  GY: 'GYD',
  SR: 'SRD',
  FJ: 'FJD',
  NA: 'NAD',
  LR: 'LRD',
  BN: 'BND',
  BM: 'BMD',
  KY: 'KYD',
  BO: 'BOB',
  PY: 'PYG',
  VE: 'VES',
  CR: 'CRC',
  GT: 'GTQ',
  HN: 'HNL',
  NI: 'NIO',
  GB: 'GBP',
  UK: 'GBP',
  IE: 'EUR',
  EG: 'EGP',
  LB: 'LBP',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  IS: 'ISK',
  FO: 'DKK',
  JP: 'JPY',
  CN: 'CNY',
  IN: 'INR',
  PK: 'PKR',
  LK: 'LKR',
  NP: 'NPR',
  MU: 'MUR',
  SC: 'SCR',
  ZA: 'ZAR',
  CH: 'CHF',
  LI: 'CHF',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  MD: 'MDL',
  BG: 'BGN',
  RS: 'RSD',
  BA: 'BAM',
  MK: 'MKD',
  AL: 'ALL',
  TR: 'TRY',
  RU: 'RUB',
  UA: 'UAH',
  BY: 'BYN',
  KZ: 'KZT',
  IL: 'ILS',
  AE: 'AED',
  SA: 'SAR',
  QA: 'QAR',
  KW: 'KWD',
  BH: 'BHD',
  OM: 'OMR',
  JO: 'JOD',
  MA: 'MAD',
  TN: 'TND',
  DZ: 'DZD',
  KR: 'KRW',
  TH: 'THB',
  VN: 'VND',
  ID: 'IDR',
  MY: 'MYR',
  PH: 'PHP',
  NG: 'NGN',
  KE: 'KES',
  GH: 'GHS',
  TZ: 'TZS',
  UG: 'UGX',
  ET: 'ETB',
  BD: 'BDT',
  DE: 'EUR',
  AT: 'EUR',
  FR: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  PT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  LU: 'EUR',
  FI: 'EUR',
  EE: 'EUR',
  LV: 'EUR',
  LT: 'EUR',
  SK: 'EUR',
  SI: 'EUR',
  GR: 'EUR',
  CY: 'EUR',
  MT: 'EUR',
  HR: 'EUR',
  GE: 'GEL',
  AM: 'AMD',
  AZ: 'AZN',
  EU: 'EUR',
};
// Country-code domains used as generic ones (.co, .io, .tv, .me …) say nothing of a country.
const GENERIC_TLDS = new Set([
  'co',
  'io',
  'tv',
  'me',
  'ai',
  'fm',
  'ly',
  'to',
  'cc',
  'ws',
  'gg',
  'la',
  'so',
  'sh',
]);

/** The languages of each country's shops, for a `lang` without a region on a country's domain. */
const COUNTRY_LANGUAGES: Record<string, string> = {
  DE: 'de',
  AT: 'de',
  CH: 'de fr it rm en',
  LI: 'de',
  LU: 'fr de lb',
  BE: 'nl fr de',
  NL: 'nl',
  FR: 'fr',
  IT: 'it',
  ES: 'es ca eu gl',
  PT: 'pt',
  IE: 'en ga',
  UK: 'en',
  GB: 'en',
  PL: 'pl',
  CZ: 'cs',
  SK: 'sk',
  HU: 'hu',
  RO: 'ro',
  BG: 'bg',
  HR: 'hr',
  SI: 'sl',
  RS: 'sr',
  GR: 'el',
  CY: 'el tr',
  SE: 'sv',
  NO: 'no nb nn',
  DK: 'da',
  FI: 'fi sv',
  IS: 'is',
  EE: 'et',
  LV: 'lv',
  LT: 'lt',
  TR: 'tr',
  RU: 'ru',
  UA: 'uk',
  IL: 'he iw',
  JP: 'ja',
  CN: 'zh',
  TW: 'zh',
  HK: 'zh en',
  KR: 'ko',
  AU: 'en',
  NZ: 'en',
  CA: 'en fr',
  ZA: 'en af',
  IN: 'en hi',
  SG: 'en zh',
  MX: 'es',
  AR: 'es',
  CL: 'es',
  PE: 'es',
  UY: 'es',
  BR: 'pt',
};

// A currency code alone, or beside a symbol ("AUD $", "(HKD $)", "€ EUR").
const CODE_WORD = /(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])/g;
const CODE_BY_SYMBOL = /(?<![A-Za-z])([A-Z]{3})\s?\p{Sc}|\p{Sc}\s?([A-Z]{3})(?![A-Za-z])/u;
// Upper-case words that are also currency codes, taken only beside a symbol.
const CODE_WORDS = new Set(['ALL', 'TOP', 'CUP', 'MOP', 'SOS', 'SAR']);

function codesIn(text: string): Set<string> {
  const out = new Set<string>();
  CODE_WORD.lastIndex = 0;
  for (let m = CODE_WORD.exec(text); m; m = CODE_WORD.exec(text)) if (isIsoCode(m[0])) out.add(m[0]);
  return out;
}

const namesByLanguage = new Map<string, [string, string][]>();

/** Currency names in a language from Intl.DisplayNames ("dólar canadiense" → CAD), longest first. */
function currencyNames(language: string): [string, string][] {
  let names = namesByLanguage.get(language);
  if (names) return names;
  names = [];
  try {
    const display = new Intl.DisplayNames([language], { type: 'currency', fallback: 'none' });
    const regions = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const code of Intl.supportedValuesOf('currency')) {
      // The country's initials before the currency's noun, as shops shorten it: "UAE Dirham",
      // "US Dollar", "NZ Dollar" (a code's first two letters are its country's).
      const region = regions
        .of(code.slice(0, 2))
        ?.split(/\s+/)
        .filter((w) => /^\p{Lu}/u.test(w));
      const noun = display.of(code)?.split(/\s+/).pop();
      if (region && region.length >= 2 && noun)
        names.push([`${region.map((w) => w[0]).join('')} ${noun}`.toLocaleLowerCase(language), code]);
      // The name ("Australian Dollar") and its plural as amounts are written ("Australian dollars").
      const plural = new Intl.NumberFormat(language, {
        style: 'currency',
        currency: code,
        currencyDisplay: 'name',
      })
        .formatToParts(2)
        .find((p) => p.type === 'currency')?.value;
      for (const written of new Set([display.of(code), plural])) {
        const name = written?.toLocaleLowerCase(language);
        if (name && name.length >= 4 && name !== code.toLowerCase()) names.push([name, code]);
      }
    }
  } catch {
    // a language Intl does not know: no names
  }
  names.sort((a, b) => b[0].length - a[0].length);
  namesByLanguage.set(language, names);
  return names;
}

const FLAG = /([\u{1F1E6}-\u{1F1FF}])([\u{1F1E6}-\u{1F1FF}])/gu;
const LETTER = /\p{L}/u;

/**
 * Currencies a switcher's text names without a code: by name in English or the page's language
 * ("Australian dollar", "Dólar canadiense"), or by the flag of the country whose currency it is.
 */
function namedCurrencies(text: string, languages: readonly string[]): string[] {
  const out: string[] = [];
  FLAG.lastIndex = 0;
  for (let m = FLAG.exec(text); m; m = FLAG.exec(text)) {
    const country = String.fromCharCode(
      ...[m[1], m[2]].map((c) => (c as string).codePointAt(0) as number).map((cp) => cp - 0x1f1e6 + 65),
    );
    const currency = COUNTRY_CURRENCY[country];
    if (currency && !out.includes(currency)) out.push(currency);
  }
  if (!LETTER.test(text)) return out;
  for (const language of languages) {
    let lower = text.toLocaleLowerCase(language);
    for (const [name, code] of currencyNames(language)) {
      const at = lower.indexOf(name);
      if (at < 0) continue;
      // A whole name ("US dollar" is not inside "Australian dollar"'s letters).
      if (LETTER.test(lower[at - 1] ?? '') || LETTER.test(lower[at + name.length] ?? '')) continue;
      if (!out.includes(code)) out.push(code);
      lower = `${lower.slice(0, at)}${' '.repeat(name.length)}${lower.slice(at + name.length)}`;
    }
  }
  return out;
}

const regionsByLanguage = new Map<string, [string, string][]>();

/** Country names in a language from Intl.DisplayNames ("australia" → AU), longest first. */
function regionNames(language: string): [string, string][] {
  let names = regionsByLanguage.get(language);
  if (names) return names;
  names = [];
  try {
    const display = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    for (const country of Object.keys(COUNTRY_CURRENCY)) {
      const name = display.of(country)?.toLocaleLowerCase(language);
      if (name && name.length >= 4) names.push([name, country]);
    }
  } catch {
    // a language Intl does not know: no names
  }
  names.sort((a, b) => b[0].length - a[0].length);
  regionsByLanguage.set(language, names);
  return names;
}

const FLAG_SOURCE = /flags?[/_-](?:[\w-]*\/)?([a-z]{2})\.(?:svg|png|gif|jpe?g|webp)(?:$|[?#])/i;
const FLAG_CLASS = /(?:^|\s)(?:fi|flag-icon|flag|flags)[-_]([a-z]{2})(?:\s|$)/i;
const MAX_FLAG_ELEMENTS = 60;

/** The flag emoji of a country code ("NZ" → 🇳🇿). */
const flagOf = (country: string): string =>
  String.fromCodePoint(...[...country.toUpperCase()].map((c) => 0x1f1e6 + (c.charCodeAt(0) - 65)));

/**
 * Flag pictures in an element, written as flag emoji so they read like flags in text: an image
 * whose `alt` names a country ("Australia", "AU") or whose file or class is named for one
 * (`/flags/au.svg`, `fi fi-au`).
 */
function flagText(element: Element, languages: readonly string[]): string {
  let out = '';
  let seen = 0;
  walk(element, (e) => {
    const cls = e.attribs.class;
    let country = cls ? FLAG_CLASS.exec(cls)?.[1] : undefined;
    if (!country && e.name === 'img') {
      country = FLAG_SOURCE.exec(e.attribs.src ?? '')?.[1];
      const alt = (e.attribs.alt ?? '').trim();
      if (!country && /^[A-Za-z]{2}$/.test(alt)) country = alt;
      else if (!country && alt.length >= 4 && alt.length <= 40)
        for (const language of languages) {
          const lower = alt.toLocaleLowerCase(language);
          const found = regionNames(language).find(([name]) => {
            const at = lower.indexOf(name);
            return (
              at >= 0 && !LETTER.test(lower[at - 1] ?? '') && !LETTER.test(lower[at + name.length] ?? '')
            );
          });
          if (found) {
            country = found[1];
            break;
          }
        }
    }
    if (country && COUNTRY_CURRENCY[country.toUpperCase()]) out += flagOf(country);
    return ++seen < MAX_FLAG_ELEMENTS;
  });
  return out;
}

/** An element's text with a space at every element boundary: "US dollar" and "Canadian dollar" in adjacent links stay apart. */
function spacedText(element: Element, limit: number): string {
  let out = '';
  const stack: AnyNode[] = [element];
  while (stack.length > 0 && out.length < limit) {
    const node = stack.pop() as AnyNode;
    if (node.type === 'text' && 'data' in node) out += node.data;
    else if (node.type === 'tag') {
      const tag = node as Element;
      if (tag.name === 'script' || tag.name === 'style') continue;
      out += ' ';
      for (let i = tag.children.length - 1; i >= 0; i--) stack.push(tag.children[i] as AnyNode);
    }
  }
  return out.slice(0, limit);
}

const LANGUAGE_MARK = /lang|sprache|idioma|langue|lingua|taal|język|jazyk/i;

/** Whether an element or one of its near ancestors is marked as a language switcher. */
function languageChoice(element: Element): boolean {
  let node: Element | null = element;
  for (let i = 0; node && i < 5; i++, node = node.parent?.type === 'tag' ? (node.parent as Element) : null) {
    const a = node.attribs;
    if (a.hreflang !== undefined || a.lang !== undefined) return true;
    for (const value of [a.class, a.id, a['aria-label'], a.name, a.href])
      if (value && LANGUAGE_MARK.test(value)) return true;
  }
  return false;
}

/** Currencies named by symbols only one currency writes ("AU$", "NZ$", "€", "R$"), as whole words. */
function symbolCurrencies(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/[\s()|/,]+/)) {
    if (token.length === 0 || token.length > 4 || /^[A-Za-z]+$/.test(token)) continue;
    const iso = currencyAlternatives(token).length === 0 ? currencyToIso(token) : null;
    if (iso && !out.includes(iso)) out.push(iso);
  }
  return out;
}

/** The currency a chosen list entry names: the code beside a symbol, else its only code, name or symbol. */
function chosenCode(text: string, languages: readonly string[] = []): string | undefined {
  const bySymbol = CODE_BY_SYMBOL.exec(text);
  const code = bySymbol?.[1] ?? bySymbol?.[2];
  if (code && isIsoCode(code)) return code;
  const codes = [...codesIn(text)].filter((c) => !CODE_WORDS.has(c));
  if (codes.length > 0) return codes.length === 1 ? codes[0] : undefined;
  const named = namedCurrencies(text, languages);
  if (named.length > 0) return named.length === 1 ? named[0] : undefined;
  const symbols = symbolCurrencies(text);
  return symbols.length === 1 ? symbols[0] : undefined;
}

const MAX_CHOSEN = 200;
const CHOSEN_CLASS =
  /(?:^|\s)(?:is-)?(?:active|selected|current)(?:\s|$)|--(?:active|selected|current)(?:\s|$)/;
const CHOSEN_TAGS = new Set(['li', 'a', 'option', 'button', 'span']);
// What opens a dropdown, showing its choice: a button, or a link or span playing one.
const OPENER_TAGS = new Set(['button', 'a', 'span', 'div']);
const OPENER_CLASS = /(?:^|\s)dropdown-toggle(?:\s|$)/;

/**
 * An element marked as the chosen one of a list: `<option selected>`, `aria-selected`,
 * `aria-current`, an active item, or the button that opens the list (it shows the choice).
 */
function isChosen(name: string, attribs: Record<string, string>): boolean {
  if (name === 'option') return attribs.selected !== undefined;
  // A radio group's checked input: its value or its label names the choice.
  if (name === 'input')
    return (attribs.type ?? '').toLowerCase() === 'radio' && attribs.checked !== undefined;
  if (
    OPENER_TAGS.has(name) &&
    (attribs['aria-expanded'] !== undefined ||
      attribs['aria-haspopup'] !== undefined ||
      (attribs.class !== undefined && OPENER_CLASS.test(attribs.class)))
  )
    return true;
  // A `<details>` dropdown's `<summary>` shows the choice.
  if (name === 'summary') return true;
  if (attribs['aria-selected'] === 'true') return true;
  const current = attribs['aria-current'];
  if (current !== undefined && current !== 'false') return true;
  return CHOSEN_TAGS.has(name) && attribs.class !== undefined && CHOSEN_CLASS.test(attribs.class);
}

/** The page's chosen list entries (read only when a currency is left open, so not in the page index). */
function chosenElements(root: AnyNode): Element[] {
  const out: Element[] = [];
  walk(root, (element) => {
    if (element.name === 'script' || element.name === 'style') return false;
    if (isChosen(element.name, element.attribs)) out.push(element);
    return out.length < MAX_CHOSEN;
  });
  return out;
}

/**
 * The currency chosen in a currency switcher: an entry marked chosen (a selected option, an
 * `aria-selected`, `aria-current` or active item, the control that opens the list) naming one
 * currency (by code, name, flag or a symbol of its own), in a list naming others.
 */
function switcherCurrency(chosen: readonly Element[], languages: readonly string[]): string | undefined {
  for (const element of chosen) {
    const radio = element.name === 'input';
    // A radio input has no text of its own: the label around it has.
    const labelled = radio && element.parent?.type === 'tag' && (element.parent as Element).name === 'label';
    const own = radio ? (labelled ? textOf(element.parent as Element, 80) : '') : textOf(element, 80);
    if (own.length > 60) continue;
    const worded =
      chosenCode(own.replace(FLAG, ''), languages) ??
      (element.name === 'option' || radio ? chosenCode(element.attribs.value ?? '') : undefined);
    // A flag names a country, and language switchers show flags too: a flag counts only
    // outside anything marked as a language choice.
    const code =
      worded ?? (languageChoice(element) ? undefined : chosenCode(`${own}${flagText(element, languages)}`));
    if (!code) continue;
    let up = element.parent;
    for (let i = 0; up && i < 3; i++, up = up.parent) {
      if (up.type !== 'tag') break;
      const text = spacedText(up as Element, 600);
      const list = codesIn(text);
      if (list.size < 2) for (const c of namedCurrencies(text, languages)) list.add(c);
      if (list.size < 2) for (const c of symbolCurrencies(text)) list.add(c);
      if (list.size < 2) for (const c of namedCurrencies(flagText(up as Element, languages), [])) list.add(c);
      if (element.name === 'option' && (up as Element).name === 'select')
        for (const option of (up as Element).children)
          if (option.type === 'tag')
            for (const c of codesIn((option as Element).attribs.value ?? '')) list.add(c);
      if (radio && element.attribs.name)
        walk(up, (other) => {
          if (other.name === 'input' && other.attribs.name === element.attribs.name)
            for (const c of codesIn(other.attribs.value ?? '')) list.add(c);
          return true;
        });
      list.add(code);
      if (list.size >= 2) return code;
    }
  }
  return undefined;
}

export interface CurrencyVote {
  currency: string;
  weight: number;
  /** What said so, for explanations: "og:locale es_CL", "script currency CLP", "domain .cl". */
  because: string[];
}

const CURRENCY_KEY =
  /["']?(?:currency|currencyCode|currency_code|currencyIso|currency_iso|priceCurrency|iso_code|currencyId|active)["']?\s*[:=]\s*["']([A-Z]{3})["']/g;
const MAX_SCRIPT_TEXT = 400_000;

function regionOf(locale: string | undefined): string | undefined {
  const match = /^[a-z]{2,3}[-_]([a-z]{2})(?:$|[-_])/i.exec((locale ?? '').trim());
  return match?.[1]?.toUpperCase();
}

/** Languages whose speakers live (nearly) all under one currency. */
const ONE_CURRENCY_LANGUAGES: Record<string, string> = {
  ja: 'JPY',
  ko: 'KRW',
  th: 'THB',
  vi: 'VND',
  he: 'ILS',
  iw: 'ILS',
  hu: 'HUF',
  pl: 'PLN',
  cs: 'CZK',
  tr: 'TRY',
  uk: 'UAH',
  id: 'IDR',
  is: 'ISK',
  da: 'DKK',
  nb: 'NOK',
  nn: 'NOK',
  no: 'NOK',
  sv: 'SEK',
  ka: 'GEL',
  hy: 'AMD',
  km: 'KHR',
  lo: 'LAK',
  my: 'MMK',
  mn: 'MNT',
  el: 'EUR',
  fi: 'EUR',
  et: 'EUR',
  lv: 'EUR',
  lt: 'EUR',
  sk: 'EUR',
  sl: 'EUR',
};

function vote(
  votes: Map<string, CurrencyVote>,
  currency: string | undefined,
  weight: number,
  because: string,
) {
  if (!currency) return;
  const current = votes.get(currency);
  if (current) {
    current.weight += weight;
    if (current.because.length < 4) current.because.push(because);
  } else votes.set(currency, { currency, weight, because: [because] });
}

/** Currencies the page's locale signals point to, strongest first. */
export function localeCurrencies(root: AnyNode, url: string): CurrencyVote[] {
  const index = indexPage(root);
  const votes = new Map<string, CurrencyVote>();

  // The shop's own data names its currency: the strongest signal, counted once per code.
  let scanned = 0;
  const codes = new Set<string>();
  for (const script of index.scripts) {
    if (scanned > MAX_SCRIPT_TEXT) break;
    const text = rawTextOf(script);
    scanned += text.length;
    CURRENCY_KEY.lastIndex = 0;
    for (let m = CURRENCY_KEY.exec(text); m; m = CURRENCY_KEY.exec(text)) {
      const code = m[1] as string;
      if (isIsoCode(code)) codes.add(code);
    }
  }
  // A page naming several currencies (a currency switcher's list) says little about any one.
  if (codes.size > 0 && codes.size <= 2)
    for (const code of codes) vote(votes, code, 3 / codes.size, `script ${code}`);

  const html = index.root.type === 'root' ? index.root.children.find((c) => c.type === 'tag') : undefined;
  const lang = html && 'attribs' in html ? (html.attribs as Record<string, string>).lang : undefined;

  // What the page's currency switcher shows as chosen: the currency its prices are shown in.
  const language = /^([a-z]{2,3})(?:$|[-_])/i.exec((lang ?? '').trim())?.[1]?.toLowerCase();
  const switched = switcherCurrency(
    chosenElements(index.root),
    language && language !== 'en' ? ['en', language] : ['en'],
  );
  if (switched) vote(votes, switched, 3.5, `currency switcher ${switched}`);
  const langRegion = regionOf(lang);
  vote(votes, COUNTRY_CURRENCY[langRegion ?? ''], 2, `lang ${lang}`);
  // A language spoken (nearly) only where one currency is: `lang="ko"` says KRW as `ko-KR` would.
  if (!langRegion && language) vote(votes, ONE_CURRENCY_LANGUAGES[language], 2, `lang ${language}`);
  for (const meta of index.metas) {
    const key = (
      meta.attribs.property ??
      meta.attribs.name ??
      meta.attribs['http-equiv'] ??
      ''
    ).toLowerCase();
    if (key === 'og:locale' || key === 'content-language') {
      const region = regionOf(meta.attribs.content);
      if (region && region !== langRegion)
        vote(votes, COUNTRY_CURRENCY[region], 2, `${key} ${meta.attribs.content}`);
    }
  }
  const here = url.replace(/[?#].*$/, '');
  for (const link of index.links) {
    const hreflang = link.attribs.hreflang;
    if (!hreflang || (link.attribs.href ?? '').replace(/[?#].*$/, '') !== here) continue;
    vote(votes, COUNTRY_CURRENCY[regionOf(hreflang) ?? ''], 1.5, `hreflang ${hreflang}`);
    break;
  }

  let host = '';
  let path = '';
  try {
    const parsed = new URL(url);
    host = parsed.hostname.toLowerCase();
    path = parsed.pathname;
  } catch {
    // not a URL: no domain or path signals
  }
  // "/en-ca/…", "/es_CL/…", or Zara's "/ar/en/…" (country, then language).
  const segments = path.split('/').filter(Boolean).slice(0, 3);
  const localeSegment = segments.map(regionOf).find(Boolean);
  if (localeSegment) vote(votes, COUNTRY_CURRENCY[localeSegment], 1.5, `path ${localeSegment.toLowerCase()}`);
  else if (/^[a-z]{2}$/.test(segments[0] ?? '') && /^[a-z]{2}$/.test(segments[1] ?? ''))
    vote(
      votes,
      COUNTRY_CURRENCY[(segments[0] as string).toUpperCase()],
      1,
      `path /${segments[0]}/${segments[1]}/`,
    );

  const tld = host.split('.').pop() ?? '';
  if (tld.length === 2 && !GENERIC_TLDS.has(tld)) {
    const country = tld.toUpperCase();
    vote(votes, COUNTRY_CURRENCY[country], 1, `domain .${tld}`);
    // `lang="de"` on a .de (or .at, .ch) shop: a language of the domain's country agrees with it.
    const language = /^([a-z]{2,3})$/i.exec((lang ?? '').trim())?.[1]?.toLowerCase();
    if (language && !langRegion && (COUNTRY_LANGUAGES[country] ?? '').split(' ').includes(language))
      vote(votes, COUNTRY_CURRENCY[country], 1, `lang ${language} spoken in .${tld}`);
  } else if (tld === 'co' && /\.(?:com|net|org)\.co$/.test(host)) vote(votes, 'COP', 1, 'domain .com.co');

  return [...votes.values()].sort((a, b) => b.weight - a.weight);
}
