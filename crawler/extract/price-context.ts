/**
 * What the words right around a price say it is. A buy box shows several amounts: the price,
 * and beside it a unit price ("€29.98 / 1 l"), an instalment ("or 4 payments of $12.50"), a
 * "from" price of other offers, a list or was-price, a card-holder, member or subscription price.
 * Only the words of the price's own phrase count: the text of its inline neighbours up to the
 * enclosing block, cut at the nearest other amount, so a label of the next price is not read as
 * this one's.
 */
import type { AnyNode, Element } from 'domhandler';
import { isIsoCode } from '../normalise/currency.ts';
import { isElement, textOf } from './dom.ts';

export type PriceKind = 'unit' | 'each' | 'instalment' | 'from' | 'offers' | 'reference' | 'member' | 'net';

// A measure after a slash or "per": "/ kg", "per 100 g", "le kg", "/Count", "/ 1 Liter".
const PER = String.raw`(?:\/|(?<!\p{L})(?:per|pro|le|la|por|al|za|je|för|par|pour|à)(?!\p{L}))\s*(?:\d+(?:[.,]\d+)?\s*)?`;
const UNIT_MEASURE = new RegExp(
  `${PER}(?:kg|kilo|kilogramm?|g|gr|gramm?e?s?|gramos|mg|l|lt|ltr|lit(?:er|re|ro|ros)?|ml|cl|dl|m|m²|m2|m³|m3|cm|mm|meter|metre|mètre|metro|count|ct|oz|cans?|bottles?|btl|jars?|tins?|pods?|sachets?|pouch(?:es)?|bags?|boxe?s?|packs?|dos(?:e|es|is)|flasche|dosen|packung|beutel|bouteilles?|canettes?|botellas?|latas?|bolsas?|cajas?|lattin[ae]|bottigli[ae]|fl\\.?\\s*oz|lb|lbs|sheets?|rolls?|loads?|wash(?:es)?|tablets?|capsules?|servings?|枚|袋)(?![\\p{L}])`,
  'iu',
);
// Per piece: on a product sold by the piece that is its price ("997 zł /szt."), so it weighs little.
const EACH = new RegExp(
  `${PER}(?:st|stk|stück|stuk|pc|pcs|pieces?|pièce|pezzo|unit|units|unité|unidad|unidades|unità|ea|each|item|szt|sztuka|ks|kpl|個|本)\\.?(?![\\p{L}])`,
  'iu',
);
// A measure written right after a bare number: "0.5 Liter", "250 g" (contents, not a price).
export const QUANTITY =
  /^\(?\s*\d+(?:[.,]\d+)?\s*(?:kg|g|gr|mg|l|ml|cl|dl|liter|litre|litro|m|cm|mm|m²|oz|lb|lbs|fl\.?\s*oz|gb|tb|mb|mah|w|kw|v|hz|mhz|ghz|mp|st|stk|stück|pcs|pieces|gramm|gramos)\.?\s*\)?$/iu;
const UNIT_WORDS =
  /unit price|price per|per unit|prix (?:au|à la|par|unitaire)|grundpreis|stückpreis|literpreis|kilopreis|precio (?:por|unitario)|prezzo (?:al|unitario|per)|cena (?:za|jednostkowa)|jednotková cena|enhetspris|jämförpris|jämförelsepris|kilopris|literpris|yksikköhinta|kilohinta|単価|单价|円\/|\d\s*(?:g|ml)あたり/iu;
const INSTALMENT =
  /(?:^|\s)[x×]\s*(?:de\s*)?$|\/\s*(?:mo|mth|month|mes|mois|monat|mese|maand|miesiąc|mån|kk)(?!\p{L})|(?<!\p{L})(?:per|a|each|every|al|par|pro|al|ao|w)\s+(?:month|mes|mois|monat|mese|maand|mês|miesiąc)(?!\p{L})|monthly|mensual|mensuel|monatlich|mensile|maandelijks|miesięcznie|(?<!\p{L})\d+\s*[x×]\s*(?:de\s*)?\p{Sc}|(?<!\p{L})\d+\s*[x×](?:\s*de)?\s*$|(?<!\p{L})\d+\s*(?:cuotas|parcelas|mensualidades|rate|raten|payments?|instal{1,2}ments?|fois|meses)(?!\p{L})|cuotas|parcelas|sin interés|sem juros|senza interessi|interest[- ]free|payments? of|pay in \d|(?<!\p{L})(?:emi|klarna|afterpay|affirm|clearpay|sezzle|zip|splitit|atome|tabby|tamara|paypal)(?!\p{L})|ratenzahlung|finanzierung|financing|finance from|en \d+ fois|a rate|in rate|op afbetaling|na raty|月々|分期/iu;
// "From" before a price: most often the product's own lowest price (a size range, a variable
// product), so it costs little.
const FROM =
  /(?<!\p{L})(?:from|ab|dès|desde|vanaf|od|fra|från|alkaen|alk\.|starting at|starts at|as low as|schon ab|ab nur|à partir de|a partir de|a partire da|à partir|от)(?!\p{L})\s*:?\s*$|起$|から$|부터$/iu;
// Other sellers' or conditions' offers: "New (12) from", "3 offers from", "Used from".
const OFFERS =
  /(?<!\p{L})(?:new|used|refurbished|renewed|neu|gebraucht|neuf|occasion|nuevo|usado|nuovo|usato)\s*(?:&\s*used\s*)?(?:\(\s*\d*\s*\)\s*)?(?:from|ab|dès|à partir de|desde|da)\s*:?\s*$|(?:offers?|sellers?|angebote|offres|ofertas|offerte|anbieter|vendeurs|vendedores|venditori)\s*(?:\(\s*\d*\s*\)\s*)?(?:from|ab|dès|à partir de|desde|da)\s*:?\s*$/iu;
const REFERENCE =
  /(?<!\p{L})(?:list price|listprice|rrp|uvp|msrp|srp|m\.?r\.?p\.?|was|regular price|reg\.?|original price|originally|compare at|compare to|retail price|retail|typical price|statt|vorher|ursprünglich|bisher|alter preis|unverbindliche preisempfehlung|prix de référence|prix conseillé|prix barré|prix initial|prix normal|au lieu de|avant|precio de lista|precio anterior|precio normal|precio regular|precio original|antes|normal|prezzo consigliato|prezzo di listino|prezzo pieno|invece di|prezzo originale|adviesprijs|van|normaal|cena katalogowa|cena regularna|poprzednia cena|cena przed obniżką|najniższa cena|normalpris|ord\.? ?pris|før|tidl\.? ?pris|tidligere pris|vejl\.? ?pris|vejledende pris|veil\.? ?pris|veiledende pris|ordinarie pris|tidigare pris|förr|ennen|vanha hinta|běžná cena|původní cena|původně|dříve|pôvodná cena|pôvodne|eredeti ár|обычная цена|старая цена|было|buy it now|sofort-kaufen|sofortkaufen|achat immédiat|compralo subito|cómpralo ya|kup teraz|estimate|est\.|estimation|schätzpreis|schätzung|stima|starting (?:price|bid)|start(?:preis|gebot)|mise à prix|prezzo di partenza|precio de salida|cena wywoławcza|cena minimalna)(?!\p{L})\s*[:：]?\s*$|即決価格[:：]?\s*$|開始価格[:：]?\s*$|通常価格[:：]?\s*$|参考価格[:：]?\s*$|定価[:：]?\s*$|希望小売価格[:：]?\s*$|原[价價][:：]?\s*$|市[场場]?[价價][:：]?\s*$|(?:建[议議](?:零)?售[价價]|定[价價]|原售[价價])[:：]?\s*$|정가[:：]?\s*$|권장(?:소비자)?가(?:격)?[:：]?\s*$/iu;
const MEMBER =
  /(?<!\p{L})(?:members?|member price|club|with (?:the )?card|card ?holders?|card price|tarjeta|con tarjeta|cmr|prime|loyalty|rewards?|mitglieder|mitgliederpreis|kundenkarte|clubpreis|adhérents?|fidélité|avec la carte|soci|tessera|con la carta|leden|ledenprijs|klubbpris|medlemspris|medlem|subscribe|subscription|subscribers?|abonnement|abonnenten|abo|spar-abo|suscripción|assinatura|abbonamento|with coupon|coupon|cupón|cupom|gutschein|kupon|с картой|картой|по карте|для участников|з карткою|карткою)(?!\p{L})|定期|会員|회원|会员|쿠폰|クーポン|优惠券|優惠券|券后|券後/iu;

const CURRENCY_MARK =
  /(?<!\p{L})(?:US|AU|CA|NZ|HK|NT|S)\s?\$|\p{Sc}|(?<!\p{L})(?:[A-Z]{3}|kr|zł|Rs\.?|Rp|R\$|Fr\.|Kč)(?!\p{L})/gu;

// "excl. VAT", "ohne MwSt", "ex GST": a price without its sales tax (also read by heuristics.ts).
export const EXCLUDING_TAX = String.raw`(?<!\p{L})(?:excl?|exkl|excluding|exclusive|ohne|without|sans|bez|brez|hors|sin|senza|zonder|utan|uden|ex)\.?\s*(?:vat|mwst|ust|tva|iva|btw|moms|dph|pdv|ddv|pvm|kdv|áfa|afa|gst|hst|igv|ppn|sst|taxe?s?|dan)(?!\p{L})|税抜|税別|本体価格|未稅|未税|不含税|不含稅|부가세\s*별도|VAT\s*별도`;
const NET = new RegExp(
  String.raw`${EXCLUDING_TAX}[\s:.]*$|(?<!\p{L})(?:netto|nettó|net price|ht|hors taxes)(?!\p{L})[\s:.]*$`,
  'iu',
);

/** Elements that keep a phrase together: inline elements; a block ends it. */
const INLINE = new Set([
  'span',
  'a',
  'b',
  'strong',
  'em',
  'i',
  'small',
  'big',
  'bdi',
  'bdo',
  'ins',
  'del',
  's',
  'strike',
  'u',
  'sup',
  'sub',
  'font',
  'label',
  'abbr',
  'data',
  'mark',
  'time',
  'output',
  'meta',
  'link',
  'img',
  'br',
]);
const REACH = 60;

function siblingText(node: AnyNode | null, step: 'prev' | 'next', limit: number): string {
  let out = '';
  for (let s = node; s && out.length < limit; s = step === 'prev' ? s.prev : s.next) {
    if (s.type === 'text') {
      const data = (s as unknown as { data: string }).data;
      out = step === 'prev' ? data + out : out + data;
    } else if (isElement(s) && s.name !== 'script' && s.name !== 'style') {
      // A logo labels a price as well as words do: <img alt="CMR">, <img alt="Klarna">.
      const text = s.name === 'img' ? (s.attribs.alt ?? '') : textOf(s, limit);
      // A block beside the price that shows an amount is another price's phrase ("As low as
      // $45/mo" above "$1,099.00"); a block of words alone ("List Price:") labels this one.
      if (!INLINE.has(s.name) && /\d/.test(text)) break;
      out = step === 'prev' ? `${text} ${out}` : `${out} ${text}`;
    }
  }
  return out;
}

/** The text before and after `element` within its phrase, up to the enclosing block. */
function around(element: Element): { before: string; after: string } {
  let before = '';
  let after = '';
  let node: Element | null = element;
  for (let depth = 0; node && depth < 4; depth++) {
    before = siblingText(node.prev, 'prev', REACH) + before;
    after += siblingText(node.next, 'next', REACH);
    const parent: AnyNode | null = node.parent;
    if (!parent || !isElement(parent) || !INLINE.has(parent.name) || before.length + after.length > 2 * REACH)
      break;
    node = parent;
  }
  return { before, after };
}

const AMOUNT = /\p{Sc}\s?\d[\d.,\s]*|\d[\d.,]*[.,]\d{1,2}(?!\d)|\d[\d.,\s]*\s?\p{Sc}/gu;

/**
 * The words of the phrase before and after the price, without repeats of the price itself
 * (pages print it twice, once for screen readers) and cut at the nearest other amount.
 */
export function phraseOf(element: Element, text: string, amount: string): { before: string; after: string } {
  const { before, after } = around(element);
  // Repeats of the price itself: its text, and its amount with either decimal separator.
  const repeats = [text.trim(), amount, amount.replace('.', ',')].filter((r) => r.length > 0);
  const strip = (s: string): string => {
    let out = s;
    for (const r of repeats) if (out.includes(r)) out = out.split(r).join(' ');
    return out;
  };
  const b = strip(before);
  const a = strip(after);
  // Cut before at the last other amount ("(12)" in "New (12) from" is a count, not an amount).
  let cut = -1;
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(b); m; m = AMOUNT.exec(b)) cut = m.index + m[0].length;
  const firstDigit = a.search(/\d/);
  return {
    before: (cut >= 0 ? b.slice(cut) : b).slice(-REACH),
    after: (firstDigit >= 0 ? a.slice(0, firstDigit) : a).slice(0, REACH),
  };
}

/**
 * What kind of amount a price text is, from its own words and its phrase: `unit`, `instalment`,
 * `from`, `reference` (list / was), `member` (card, club, subscription), or null for a plain
 * price. The candidate's own text may carry the words too ("€35.00 per kg").
 */
export function classifyPrice(text: string, before: string, after: string): PriceKind | null {
  if (INSTALMENT.test(text) || INSTALMENT.test(after) || INSTALMENT.test(before)) return 'instalment';
  if (UNIT_MEASURE.test(text) || UNIT_MEASURE.test(after) || UNIT_WORDS.test(text) || UNIT_WORDS.test(before))
    return 'unit';
  if (EACH.test(text) || EACH.test(after)) return 'each';
  // The label is what precedes the amount: the phrase before it and the candidate's own leading words.
  // Up to its first digit: "Ord. pris 899 kr" is labelled "Ord. pris", not "Ord".
  const digit = text.search(/\d/);
  // Currency marks go; three capitals only when they are a currency's code ("UVP", "MRP" stay).
  const lead = (digit >= 0 ? text.slice(0, digit) : text).replace(CURRENCY_MARK, (m) =>
    /^[A-Z]{3}$/.test(m) && !isIsoCode(m) ? m : ' ',
  );
  const label = `${before} ${lead}`.replace(/\s+$/, '');
  if (REFERENCE.test(label)) return 'reference';
  if (MEMBER.test(before) || MEMBER.test(after) || MEMBER.test(text)) return 'member';
  // Labelled as without VAT ("bez DPH 4386,00 €"): shoppers pay the price with VAT shown beside it.
  if (NET.test(label)) return 'net';
  if (OFFERS.test(label)) return 'offers';
  if (FROM.test(label)) return 'from';
  return null;
}
