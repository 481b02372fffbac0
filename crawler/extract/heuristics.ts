/**
 * Page heuristics for pages without (or with incomplete) markup: the price shown with the
 * product's heading and buy button, availability from the buy button and stock phrases,
 * identifiers from labelled values ("SKU: …", "Art.-Nr. …", "型番 …") or the page URL, and the
 * breadcrumb trail. Every field scores below structured data.
 */
import type { AnyNode, Element } from 'domhandler';
import { normaliseAvailability } from '../normalise/availability.ts';
import { parsePrice } from '../normalise/price.ts';
import { cleanText } from '../normalise/text.ts';
import { execAtWordStart, type WordStartOptions } from '../normalise/word-start.ts';
import { BREAKS, indexPage, isElement, textOf } from './dom.ts';
import { scoreFields } from './fields.ts';
import { compactCode, urlTokens } from './merge-keys.ts';
import { trimBreadcrumb } from './schema-org.ts';
import type { ExtractorPage, Fields, ScoredFields } from './types.ts';

const MAX_ELEMENTS = 60_000;
const MAX_PRICE_TEXT = 60;

// Crossed-out and reference prices: not what the product sells for now.
const STRUCK_TAGS = new Set(['del', 's', 'strike']);
const STRUCK_CLASS =
  /(?:^|[\s_-])(?:old|was|regular|strike|striked|strikethrough|crossed|compare|before|original|list|rrp|uvp|msrp|reference|prev|previous|initial|normal)(?:[\s_-]|price|$)|line-through|oldprice|wasprice|listprice|compareprice|regularprice|price-?old|price-?before|price-?was/i;
// Blocks that show other products, or page chrome.
const ASIDE_CLASS =
  /related|recommend|similar|upsell|up-sell|cross-?sell|also-?(?:bought|viewed|like)|recent|viewed|suggest|accessor|bundle|minicart|mini-cart|cart-?drawer|header|footer|(?:^|[\s_-])nav|menu|megamenu|newsletter|cookie|popup|modal/i;
// Sliding blocks: other products' cards as often as the product's own gallery and price box, so
// their prices count less rather than not at all.
const SLIDER_CLASS = /carousel|slider|swiper/i;
const PRICE_CLASS = /price|cena|preis|prix|precio|prezzo|preco|preço|цена|kaina|hind|hinta|pris|fiyat/i;
const CURRENT_CLASS =
  /sale|special|current|final|now|actual|offer|promo|selling|new|discount|our|deal|amount|value/i;
// Amounts saved, instalments, shipping: not the product's price.
const NOT_PRICE =
  /(?<![\p{L}])(?:you\s+)?sav(?:e|ings?)(?![\p{L}])|省|ahorr|économ|sparen|ersparnis|risparm|oszczęd|bespaar|ušetř|ietaup|sutaup|säästä|экономи|お得|%|\/\s*(?:mo|month|mes|mois|monat|mēn)|per\s+month|monthly|mēnesī|x\s*\d|installment|cuotas|ratenzahlung|shipping|versand|livraison|envío/iu;
// A price without VAT where the page also shows it with VAT (B2C pages show the latter).
const EXCL_VAT =
  /(?<![\p{L}])(?:excl?|exkl|excluding|exclusive|ohne|without|sans|bez|brez|hors|sin|senza|zonder|utan|uden|ex)\.?\s*(?:vat|mwst|ust|tva|iva|btw|moms|dph|pdv|ddv|pvm|kdv|áfa|afa|taxe?s?|dan)(?![\p{L}])|(?<![\p{L}])(?:netto|nettó|net price|ht)(?![\p{L}])|hors taxes/iu;
// A currency written apart from the amount's digits ("$<span>99</span>").
const CURRENCY_HINT =
  /[$€£¥₹₽₩₺₴₪฿₫₱₦]|元|円|(?<![\p{L}])(?:kr|zł|kč|ft|lei|lv|kn|rs|rp|r\$|usd|eur|gbp|chf|sek|nok|dkk|pln|czk|huf|ron|bgn|hrk|rub|uah|try|inr|jpy|cny|twd|hkd|sgd|aud|cad|nzd|mxn|brl|clp|cop|ars|pen|руб|грн|лв)(?![\p{L}])/iu;
const BUY =
  /add[\s-]*to[\s-]*(?:cart|bag|basket|trolley)|buy[\s-]*(?:now|it)|in den (?:warenkorb|einkaufswagen)|warenkorb|ajouter au panier|añadir (?:al|a la) (?:carrito|cesta)|agregar al carro|aggiungi al carrello|toevoegen aan winkelwagen|in winkelwagen|dodaj do koszyka|adicionar ao carrinho|comprar|lägg i varukorg|kurvi|ostoskoriin|do košíku|kosárba|в корзину|купить|カートに入れる|購入|加入购物车|立即购买|加入購物車|장바구니|sepete ekle|ielikt grozā|į krepšelį|ostukorvi|dodaj u košaricu|v košarico|u korpu|addtocart|add-to-cart|add_to_cart|buy[\s_-]*(?:button|btn)|buybutton/i;
const NOTIFY =
  /notify me|email me when|alert me|benachrichtig|m['’]avertir|me prévenir|avísame|avisarme|avvisami|avise-?me|powiadom|meld mij|bevaka|сообщить о поступлении|入荷通知|到货通知/i;
const STOCK_CLASS = /stock|availab|inventory|lager|dispon|verfüg|voorraad|magazyn|наличи|在庫/i;

const CODE_CLASS =
  /(?:^|[\s_-])sku(?:$|[\s_-])|product-?ref|reference|product-?code|productcode|article-?n(?:o|umber)|item-?n(?:o|umber)|cat-?number|catnumber|product-?id(?:$|\s)|style-?n(?:o|umber)/i;

// Both start a word: not after a letter (or digit, for SKU labels), checked by execAtWordStart.
const SKU_LABEL =
  /(?:sku|item\s*(?:#|no\.?|number|code|id)|product\s*(?:code|id|no\.?|number)|article\s*(?:no\.?|number)|art(?:ikel)?\.?[\s-]*(?:nr|nummer)\.?|artikelnummer|bestellnummer|best\.?-?nr\.?|cat(?:alogue)?\.?\s*(?:no|number)\.?|catalog\s*number|part\s*(?:no\.?|number)|style\s*(?:no\.?|#|number)|post\s*id|ad\s*id|listing\s*id|anzeigen?(?:-?nr\.?|nummer)?|r[ée]f[ée]rence|r[ée]f\.?|nr\.?\s*ref\.?|numer\s*(?:referencyjny|katalogowy)|kod\s*(?:produktu|towaru)|código(?:\s*(?:del\s*)?producto)?|cód\.?|codice(?:\s*articolo)?|cod\.?\s*art(?:icolo)?\.?|referencia|referência|šifra(?:\s*artikla)?|kód|katalógové číslo|produkta\s*kods|prekės kodas|tootekood|tuotenumero|varenummer|artikelnr|artnr|артикул|код\s*товара|арт\.|型番|品番|商品コード|商品番号|货号|商品编号|商品編號|產品編號|제품번호|상품번호)(?![\p{L}])\s*[:：#.]?\s*[:：#]?\s*/giu;
const GTIN_LABEL =
  /(?:ean(?:-?13)?|gtin(?:-?1[34])?|upc|isbn(?:-?1[03])?|jan(?:\s*code|コード)?|kod\s*ean|barcode)(?![\p{L}])\s*[:：#.]?\s*/giu;
// A code is one token with a digit: "A-1234", "466/7999", "002.937.72", not "Montre Connectée".
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}./_-]{1,39}/u;

interface PriceCandidate {
  element: Element;
  text: string;
  /** Own text of the parent, when short: the label of a bare amount ("Excl. VAT: <span>…"). */
  context: string;
  order: number;
  priceClass: boolean;
  current: boolean;
  /** 0: shown as a price; 1: marked old/regular by a class; 2: crossed out (del, s, line-through). */
  struck: 0 | 1 | 2;
  /** In a sliding block, which holds other products as often as the product's own. */
  slider: boolean;
}

interface Walked {
  h1?: number;
  prices: PriceCandidate[];
  buttons: { element: Element; order: number; disabled: boolean; text: string }[];
  notify: number[];
  stock: { text: string; order: number }[];
  crumbs: Element[];
  /** Texts of elements whose markup names them an identifier (class "sku", itemprop="sku"…). */
  codes: { text: string; order: number }[];
  /** The page's visible text (as `textOf` gives it, up to MAX_BODY_TEXT characters). */
  body: string;
}

const MAX_BODY_TEXT = 400_000;
// Characters of visible text searched for labelled codes before and after the heading.
const LABEL_BEFORE = 20_000;
const LABEL_AFTER = 80_000;

function ownText(element: Element): string {
  let out = '';
  for (const child of element.children)
    if (child.type === 'text') {
      const data = (child as unknown as { data: string }).data;
      out = out === '' ? data : out + data;
    }
  return out;
}

function classOf(element: Element): string {
  const a = element.attribs;
  let out = a.class ?? '';
  if (a.id !== undefined) out += ` ${a.id}`;
  if (a.itemprop !== undefined) out += ` ${a.itemprop}`;
  if (a['data-test'] !== undefined) out += ` ${a['data-test']}`;
  if (a['data-testid'] !== undefined) out += ` ${a['data-testid']}`;
  return out;
}

function ancestorsOf(element: Element | undefined): Set<AnyNode> {
  const out = new Set<AnyNode>();
  for (let node: AnyNode | null = element ?? null; node; node = node.parent) out.add(node);
  return out;
}

// What the class names of an element say, as bits; pages repeat the same class strings over and
// over, so each distinct string is tested once.
const C_STRUCK = 1;
const C_ASIDE = 2;
const C_PRICE = 4;
const C_CURRENT = 8;
const C_STOCK = 16;
const C_CRUMB = 32;
const C_SLIDER = 64;
const C_CODE = 128;
const classBits = new Map<string, number>();

function bitsOf(cls: string): number {
  let bits = classBits.get(cls);
  if (bits !== undefined) return bits;
  bits =
    (STRUCK_CLASS.test(cls) ? C_STRUCK : 0) |
    (ASIDE_CLASS.test(cls) ? C_ASIDE : 0) |
    (PRICE_CLASS.test(cls) ? C_PRICE : 0) |
    (CURRENT_CLASS.test(cls) ? C_CURRENT : 0) |
    (STOCK_CLASS.test(cls) ? C_STOCK : 0) |
    (/breadcrumb/i.test(cls) ? C_CRUMB : 0) |
    (SLIDER_CLASS.test(cls) ? C_SLIDER : 0) |
    (CODE_CLASS.test(cls) ? C_CODE : 0);
  if (classBits.size > 20_000) classBits.clear();
  classBits.set(cls, bits);
  return bits;
}

/** Whether the class names or data-* attributes ("data-qa-qualifier=product-reference") name an identifier. */
function isCodeClass(element: Element, bits: number): boolean {
  if ((bits & C_CODE) !== 0) return true;
  const attribs = element.attribs;
  let data = '';
  for (const name in attribs) {
    if (name.charCodeAt(0) !== 100 || !name.startsWith('data-')) continue;
    const value = attribs[name] as string;
    if (value.length < 60) data += ` ${name} ${value}`;
  }
  return data !== '' && CODE_CLASS.test(data);
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'select', 'option']);
const F_STRUCK = 1;
const F_CROSSED = 2;
const F_ASIDE = 4;
const F_PRICED = 8;
const F_SLIDER = 16;
const STOCK_REACH = 400;

function walkPage(root: AnyNode, h1: Element | undefined): Walked {
  // Microdata product cards that do not hold the page's heading show other products.
  const headingAncestors = ancestorsOf(h1);
  const out: Walked = {
    prices: [],
    buttons: [],
    notify: [],
    stock: [],
    crumbs: [],
    codes: [],
    body: '',
  };
  // The visible text is gathered in the same walk (as textOf would: block elements separate words).
  let body = '';
  // Explicit stacks (nodes and their inherited flags) rather than recursion or an object per node.
  const nodes: AnyNode[] = [root];
  const flags: number[] = [0];
  let n = 0;
  while (nodes.length > 0 && n < MAX_ELEMENTS) {
    const node = nodes.pop() as AnyNode;
    const inherited = flags.pop() as number;
    if (!isElement(node)) {
      if (node.type === 'text') {
        if (body.length < MAX_BODY_TEXT) body += (node as unknown as { data: string }).data;
      } else if (node.type === 'root' && 'children' in node)
        for (let i = node.children.length - 1; i >= 0; i--) {
          nodes.push(node.children[i] as AnyNode);
          flags.push(0);
        }
      continue;
    }
    const name = node.name;
    if (SKIPPED.has(name)) continue;
    const order = n++;
    if (node === h1) out.h1 = order;
    if (BREAKS.has(name)) body += ' ';
    const attribs = node.attribs;
    const cls = classOf(node);
    const bits = cls === '' ? 0 : bitsOf(cls);
    const isCrumb = (bits & C_CRUMB) !== 0 || /breadcrumb/i.test(attribs['aria-label'] ?? '');
    if ((inherited & F_ASIDE) !== 0 && name !== 'body' && name !== 'html' && name !== 'main') {
      // Inside page chrome or another product's block only breadcrumbs and text are of use.
      if (isCrumb && out.crumbs.length < 5) out.crumbs.push(node);
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) {
        nodes.push(children[i] as AnyNode);
        flags.push(inherited);
      }
      continue;
    }
    const crossed =
      (inherited & F_CROSSED) !== 0 ||
      STRUCK_TAGS.has(name) ||
      attribs.style?.includes('line-through') === true;
    const struck = (inherited & F_STRUCK) !== 0 || (bits & C_STRUCK) !== 0;
    const chrome = name === 'body' || name === 'html' || name === 'main';
    const aside =
      ((inherited & F_ASIDE) !== 0 ||
        name === 'nav' ||
        name === 'footer' ||
        name === 'header' ||
        name === 'aside' ||
        (bits & C_ASIDE) !== 0 ||
        (attribs.itemscope !== undefined &&
          h1 !== undefined &&
          /Product/.test(attribs.itemtype ?? '') &&
          !headingAncestors.has(node))) &&
      !chrome;
    const slider = ((inherited & F_SLIDER) !== 0 || (bits & C_SLIDER) !== 0) && !chrome;
    const priceClass = (bits & C_PRICE) !== 0;
    const priced = (inherited & F_PRICED) !== 0 || priceClass;
    if (isCrumb && out.crumbs.length < 5) out.crumbs.push(node);
    if (!aside) {
      const own = ownText(node).trim();
      let text: string | undefined;
      if (own && own.length <= MAX_PRICE_TEXT && /\d/.test(own)) {
        const full = priceClass || own.length < 4 ? textOf(node, 200).trim() : own;
        if (full.length <= MAX_PRICE_TEXT) text = full;
      } else if (priceClass && attribs.content && /\d/.test(attribs.content)) {
        text = `${attribs.content} ${textOf(node, 100)}`.trim();
      } else if (own && own.length <= 20 && node.children.length > 1 && CURRENCY_HINT.test(own)) {
        // The currency in the element's own text, the digits in a child: "$<span>99</span>".
        const full = textOf(node, 100).trim();
        if (full.length <= MAX_PRICE_TEXT && /\d/.test(full)) text = full;
      }
      if (text !== undefined)
        out.prices.push({
          element: node,
          text,
          context: '',
          order,
          priceClass: priced,
          current: (bits & C_CURRENT) !== 0,
          struck: crossed ? 2 : struck ? 1 : 0,
          slider,
        });
    }
    // Buttons, codes and stock notes in sliding blocks belong to other products' cards.
    const apart = aside || slider;
    if (!apart && (name === 'button' || name === 'input' || name === 'a')) {
      const label = `${name === 'input' ? (attribs.value ?? '') : textOf(node, 200)} ${cls} ${attribs.name ?? ''} ${attribs.title ?? ''}`;
      if (BUY.test(label)) {
        const disabled =
          attribs.disabled !== undefined ||
          /(?:^|[\s_-])(?:disabled|inactive|unavailable|sold-?out)(?:$|[\s_-])/i.test(attribs.class ?? '') ||
          attribs['aria-disabled'] === 'true';
        out.buttons.push({ element: node, order, disabled, text: label });
      } else if (NOTIFY.test(label)) out.notify.push(order);
    }
    if (!apart && out.codes.length < 50 && isCodeClass(node, bits)) {
      const text = textOf(node, 100).trim();
      if (text.length >= 3 && text.length <= 40 && /\d/.test(text) && CODE.exec(text)?.[0] === text)
        out.codes.push({ text, order });
    }
    // Availability is read within STOCK_REACH elements of the heading (see pickAvailability).
    if (!apart && (bits & C_STOCK) !== 0 && (out.h1 === undefined || order - out.h1 < STOCK_REACH)) {
      const text = textOf(node, 300).trim();
      if (text && text.length < 120) out.stock.push({ text, order });
    }
    const passed =
      (struck ? F_STRUCK : 0) |
      (crossed ? F_CROSSED : 0) |
      (aside ? F_ASIDE : 0) |
      (priced ? F_PRICED : 0) |
      (slider ? F_SLIDER : 0);
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i] as AnyNode);
      flags.push(passed);
    }
  }
  out.body = (body.length > MAX_BODY_TEXT ? body.slice(0, MAX_BODY_TEXT) : body).replace(/\s+/g, ' ');
  return out;
}

// A price marked old/regular counts as a reference price only when a current price is shown
// within this many elements of it; alone, it is the price (themes name the live price "old").
const REFERENCE_SPAN = 12;

interface Picked {
  price: string;
  confidence: number;
  /** Amounts shown crossed out or as regular prices beside the chosen one. */
  references: string[];
}

function contextOf(element: Element): string {
  const parent = element.parent;
  if (!parent || !isElement(parent)) return '';
  const own = ownText(parent);
  return own.length <= 80 ? own : '';
}

interface Checked {
  amount: string;
  currency: boolean;
}

function pickPrice(w: Walked): Picked | undefined {
  const anchor = w.buttons.find((b) => !b.disabled)?.order ?? w.buttons[0]?.order;
  const prices = w.prices.slice(0, 3000);
  const memo: (Checked | null | undefined)[] = new Array(prices.length);
  // Whether candidate i reads as a price, parsed on demand: most candidates are ruled out by
  // their position before their text needs parsing.
  const check = (i: number): Checked | null => {
    const known = memo[i];
    if (known !== undefined) return known;
    const candidate = prices[i] as PriceCandidate;
    let result: Checked | null = null;
    const parsed = NOT_PRICE.test(candidate.text) ? undefined : parsePrice(candidate.text);
    if (
      parsed?.amount &&
      Number(parsed.amount) > 0 &&
      (parsed.currencyText || candidate.priceClass) &&
      // Bare numbers ("2020", "64 GB") without a price class are not prices.
      candidate.text.replace(/[\d\s.,'’]/g, '').replace(parsed.currencyText ?? '', '').length <= 12
    ) {
      candidate.context = contextOf(candidate.element);
      const context = candidate.context;
      if (
        !(context && NOT_PRICE.test(context)) &&
        !EXCL_VAT.test(candidate.text) &&
        !(context && EXCL_VAT.test(context))
      )
        result = { amount: parsed.amount, currency: Boolean(parsed.currencyText) };
    }
    memo[i] = result;
    return result;
  };
  // Crossed out, or marked old with another price (current or reference) of another amount beside it.
  const rejected = (i: number, amount: string): boolean => {
    const candidate = prices[i] as PriceCandidate;
    if (candidate.struck === 2) return true;
    if (candidate.struck === 0) return false;
    for (const step of [-1, 1])
      for (let j = i + step; j >= 0 && j < prices.length; j += step) {
        const other = prices[j] as PriceCandidate;
        if (Math.abs(other.order - candidate.order) > REFERENCE_SPAN) break;
        const checked = check(j);
        if (checked && checked.amount !== amount && other.struck !== 2) return true;
      }
    return false;
  };
  // The best score each candidate could reach, from what is known without parsing it.
  const bounds = prices.map((candidate, i) => {
    let bound = (candidate.priceClass ? 3 : 0) + 2 + (candidate.current ? 1 : 0);
    if (candidate.slider) bound -= 1;
    if (w.h1 !== undefined) {
      const d = candidate.order - w.h1;
      bound -= d >= 0 ? Math.log2(1 + d) / 3 : 2 + Math.log2(1 - d) / 2;
    }
    if (anchor !== undefined) bound -= Math.log2(1 + Math.abs(candidate.order - anchor)) / 4;
    return { i, bound };
  });
  bounds.sort((a, b) => b.bound - a.bound || a.i - b.i);
  let best: { i: number; score: number } | undefined;
  for (const { i, bound } of bounds) {
    if (best && bound < best.score) break;
    const checked = check(i);
    if (!checked || rejected(i, checked.amount)) continue;
    const score = checked.currency ? bound : bound - 2;
    if (!best || score > best.score || (score === best.score && i < best.i)) best = { i, score };
  }
  if (!best) return undefined;
  const chosen = prices[best.i] as PriceCandidate;
  const references: string[] = [];
  for (let j = 0; j < prices.length; j++) {
    const other = prices[j] as PriceCandidate;
    if (Math.abs(other.order - chosen.order) > REFERENCE_SPAN) continue;
    const checked = check(j);
    if (checked && rejected(j, checked.amount)) references.push(checked.amount);
  }
  return { price: chosen.text, confidence: w.h1 !== undefined ? 0.55 : 0.45, references };
}

function pickAvailability(w: Walked): { value: string; confidence: number } | undefined {
  const h1 = w.h1 ?? 0;
  const near = (order: number): boolean => Math.abs(order - h1) < STOCK_REACH;
  for (const s of w.stock) {
    if (!near(s.order)) continue;
    const value = normaliseAvailability(s.text);
    if (value !== 'Unknown') return { value, confidence: 0.45 };
  }
  const buttons = w.buttons.filter((b) => near(b.order));
  if (buttons.length > 0 && buttons.every((b) => b.disabled)) return { value: 'OutOfStock', confidence: 0.4 };
  if (buttons.length > 0) return { value: 'InStock', confidence: 0.35 };
  if (w.notify.some(near)) return { value: 'OutOfStock', confidence: 0.35 };
  return undefined;
}

/** The first code after a label, nearest after the heading's text. */
function labelled(
  text: string,
  label: RegExp,
  headingAt: number,
  wordStart: WordStartOptions = {},
): string | undefined {
  label.lastIndex = 0;
  let best: { code: string; distance: number } | undefined;
  let match: RegExpExecArray | null = execAtWordStart(label, text, wordStart);
  let seen = 0;
  while (match && seen++ < 200) {
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 60);
    const code = CODE.exec(after)?.[0]?.replace(/[.]+$/, '');
    const next = after.slice(code?.length ?? 0);
    // One token with a digit, not followed by more words of the same run ("Ref. 12 pieces").
    if (code && /\d/.test(code) && !/^[\p{L}\p{N}]/u.test(next)) {
      const distance = match.index >= headingAt ? match.index - headingAt : (headingAt - match.index) * 4;
      if (!best || distance < best.distance) best = { code, distance };
    }
    match = execAtWordStart(label, text, wordStart);
  }
  return best?.code;
}

/** The product id in the URL: a `sku`/`pid`/`id` query value, else the last number of the path. */
export function urlIdentifier(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  for (const [key, value] of parsed.searchParams) {
    if (
      /^(?:sku|pid|product_?id|productid|item_?id|itemid|art|artnr|articleid|prod(?:uct)?)$/i.test(key) &&
      /^[\w-]{4,40}$/.test(value) &&
      /\d/.test(value)
    )
      return value;
  }
  const segments = decodeURIComponent(parsed.pathname)
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/\.(?:html?|php|aspx?|jsp)$/i, ''));
  for (let i = segments.length - 1; i >= Math.max(0, segments.length - 2); i--) {
    const runs = (segments[i] ?? '').match(/\d{5,}/g);
    const last = runs?.[runs.length - 1];
    if (last && last.length <= 20) return last;
  }
  return undefined;
}

function breadcrumb(w: Walked, page: ExtractorPage, heading: string | undefined): string[] {
  for (const container of w.crumbs) {
    const entries: { name: string; url?: string }[] = [];
    const stack: AnyNode[] = [container];
    while (stack.length > 0 && entries.length < 30) {
      const node = stack.pop() as AnyNode;
      if (!isElement(node)) continue;
      if (
        node.name === 'a' ||
        (node.name === 'span' && node.children.every((c) => c.type === 'text') && entries.length > 0)
      ) {
        const name = cleanText(textOf(node, 300), 200);
        if (name && !/^[>›»/|\\-]$/.test(name) && entries[entries.length - 1]?.name !== name) {
          const entry: { name: string; url?: string } = { name };
          if (node.attribs.href) entry.url = node.attribs.href;
          entries.push(entry);
        }
        if (node.name === 'a') continue;
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
    }
    const path = trimBreadcrumb(entries, page.url, [heading]);
    if (path.length > 0) return path;
  }
  return [];
}

const shownReferences = new WeakMap<ExtractorPage, string[]>();

/**
 * Amounts the page shows crossed out or as the regular price beside the price heuristics chose
 * (after `extractHeuristics` ran on the page): a structured price equal to one is stale.
 */
export function referencePrices(page: ExtractorPage): string[] {
  return shownReferences.get(page) ?? [];
}

/** Fields from the page's visible layout and wording. */
export function extractHeuristics(page: ExtractorPage): ScoredFields | null {
  const index = indexPage(page.document);
  const w = walkPage(index.root, index.h1);
  const heading = index.h1 ? cleanText(textOf(index.h1, 2000), 1000) : undefined;
  const body = w.body;
  const headingAt = heading ? Math.max(0, body.indexOf(heading.slice(0, 60))) : 0;

  const fields: Fields = {};
  const confidence: Partial<Record<keyof Fields, number>> = {};
  if (heading) fields.title = heading;
  const price = pickPrice(w);
  if (price) {
    fields.price = price.price;
    confidence.price = price.confidence;
    shownReferences.set(page, price.references);
  }
  const availability = pickAvailability(w);
  if (availability) {
    fields.availability = availability.value;
    confidence.availability = availability.confidence;
  }
  // Labels are looked for around the heading: a code far from it is not the product's anyway.
  const from = Math.max(0, headingAt - LABEL_BEFORE);
  const near = body.slice(from, headingAt + LABEL_AFTER);
  const sku = labelled(near, SKU_LABEL, headingAt - from, { digits: true });
  const gtin = labelled(near, GTIN_LABEL, headingAt - from);
  const hinted = w.codes.toSorted(
    (a, b) => Math.abs(a.order - (w.h1 ?? 0)) - Math.abs(b.order - (w.h1 ?? 0)),
  )[0];
  if (sku) {
    fields.sku = sku;
    confidence.sku = 0.92;
  } else if (hinted) {
    fields.sku = hinted.text;
    confidence.sku = 0.86;
  } else {
    const fromUrl = urlIdentifier(page.url);
    if (fromUrl && urlTokens(page.url).includes(compactCode(fromUrl))) {
      fields.sku = fromUrl;
      confidence.sku = 0.3;
    }
  }
  if (gtin && /^\d[\d\s-]{6,16}\d$/.test(gtin)) fields.gtin = gtin;
  const path = breadcrumb(w, page, heading);
  if (path.length > 0) fields.categoryPath = path;
  return scoreFields(fields, 0.35, { ...confidence, title: 0.4, gtin: 0.6, categoryPath: 0.4 });
}
