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
import { indexPage, isElement, textOf } from './dom.ts';
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
  /related|recommend|similar|upsell|up-sell|cross-?sell|carousel|slider|swiper|also-?(?:bought|viewed|like)|recent|viewed|suggest|accessor|bundle|minicart|mini-cart|cart-?drawer|header|footer|(?:^|[\s_-])nav|menu|megamenu|newsletter|cookie|popup|modal/i;
const PRICE_CLASS = /price|cena|preis|prix|precio|prezzo|preco|preço|цена|kaina|hind|hinta|pris|fiyat/i;
const CURRENT_CLASS =
  /sale|special|current|final|now|actual|offer|promo|selling|new|discount|our|deal|amount|value/i;
const NOT_PRICE =
  /%|\/\s*(?:mo|month|mes|mois|monat|mēn)|per\s+month|monthly|mēnesī|x\s*\d|installment|cuotas|ratenzahlung|shipping|versand|livraison|envío/i;
const BUY =
  /add[\s-]*to[\s-]*(?:cart|bag|basket|trolley)|buy[\s-]*(?:now|it)|in den (?:warenkorb|einkaufswagen)|warenkorb|ajouter au panier|añadir (?:al|a la) (?:carrito|cesta)|agregar al carro|aggiungi al carrello|toevoegen aan winkelwagen|in winkelwagen|dodaj do koszyka|adicionar ao carrinho|comprar|lägg i varukorg|kurvi|ostoskoriin|do košíku|kosárba|в корзину|купить|カートに入れる|購入|加入购物车|立即购买|加入購物車|장바구니|sepete ekle|ielikt grozā|į krepšelį|ostukorvi|dodaj u košaricu|v košarico|u korpu|addtocart|add-to-cart|add_to_cart|buy-button|buybutton/i;
const NOTIFY =
  /notify me|email me when|alert me|benachrichtig|m['’]avertir|me prévenir|avísame|avisarme|avvisami|avise-?me|powiadom|meld mij|bevaka|сообщить о поступлении|入荷通知|到货通知/i;
const STOCK_CLASS = /stock|availab|inventory|lager|dispon|verfüg|voorraad|magazyn|наличи|在庫/i;

const CODE_CLASS =
  /(?:^|[\s_-])sku(?:$|[\s_-])|product-?ref|reference|product-?code|productcode|article-?n(?:o|umber)|item-?n(?:o|umber)|cat-?number|catnumber|product-?id(?:$|\s)|style-?n(?:o|umber)/i;

/** Names and values of data-* attributes ("data-qa-qualifier=product-reference"). */
function attributeNames(element: Element): string {
  let out = '';
  for (const [key, value] of Object.entries(element.attribs))
    if (key.startsWith('data-') && value.length < 60) out += ` ${key} ${value}`;
  return out;
}

const SKU_LABEL =
  /(?<![\p{L}\p{N}])(?:sku|item\s*(?:#|no\.?|number|code|id)|product\s*(?:code|id|no\.?|number)|article\s*(?:no\.?|number)|art(?:ikel)?\.?[\s-]*(?:nr|nummer)\.?|artikelnummer|bestellnummer|best\.?-?nr\.?|cat(?:alogue)?\.?\s*(?:no|number)\.?|catalog\s*number|part\s*(?:no\.?|number)|style\s*(?:no\.?|#|number)|post\s*id|ad\s*id|listing\s*id|anzeigen?(?:-?nr\.?|nummer)?|r[ée]f[ée]rence|r[ée]f\.?|nr\.?\s*ref\.?|numer\s*(?:referencyjny|katalogowy)|kod\s*(?:produktu|towaru)|código(?:\s*(?:del\s*)?producto)?|cód\.?|codice(?:\s*articolo)?|cod\.?\s*art(?:icolo)?\.?|referencia|referência|šifra(?:\s*artikla)?|kód|katalógové číslo|produkta\s*kods|prekės kodas|tootekood|tuotenumero|varenummer|artikelnr|artnr|артикул|код\s*товара|арт\.|型番|品番|商品コード|商品番号|货号|商品编号|商品編號|產品編號|제품번호|상품번호)(?![\p{L}])\s*[:：#.]?\s*[:：#]?\s*/giu;
const GTIN_LABEL =
  /(?<![\p{L}])(?:ean(?:-?13)?|gtin(?:-?1[34])?|upc|isbn(?:-?1[03])?|jan(?:\s*code|コード)?|kod\s*ean|barcode)(?![\p{L}])\s*[:：#.]?\s*/giu;
// A code is one token with a digit: "A-1234", "466/7999", "002.937.72", not "Montre Connectée".
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}./_-]{1,39}/u;

interface Walked {
  order: Map<Element, number>;
  h1?: number;
  prices: { element: Element; text: string; order: number; priceClass: boolean; current: boolean }[];
  buttons: { element: Element; order: number; disabled: boolean; text: string }[];
  notify: number[];
  stock: { text: string; order: number }[];
  crumbs: Element[];
  /** Texts of elements whose markup names them an identifier (class "sku", itemprop="sku"…). */
  codes: { text: string; order: number }[];
}

function ownText(element: Element): string {
  let out = '';
  for (const child of element.children)
    if (child.type === 'text') out += (child as unknown as { data: string }).data;
  return out;
}

function classOf(element: Element): string {
  const a = element.attribs;
  return `${a.class ?? ''} ${a.id ?? ''} ${a.itemprop ?? ''} ${a['data-test'] ?? ''} ${a['data-testid'] ?? ''}`;
}

function ancestorsOf(element: Element | undefined): Set<AnyNode> {
  const out = new Set<AnyNode>();
  for (let node: AnyNode | null = element ?? null; node; node = node.parent) out.add(node);
  return out;
}

function walkPage(root: AnyNode, h1: Element | undefined): Walked {
  // Microdata product cards that do not hold the page's heading show other products.
  const headingAncestors = ancestorsOf(h1);
  const out: Walked = {
    order: new Map(),
    prices: [],
    buttons: [],
    notify: [],
    stock: [],
    crumbs: [],
    codes: [],
  };
  const stack: { node: AnyNode; struck: boolean; aside: boolean; priced: boolean }[] = [
    { node: root, struck: false, aside: false, priced: false },
  ];
  let n = 0;
  while (stack.length > 0 && n < MAX_ELEMENTS) {
    const {
      node,
      struck: parentStruck,
      aside: parentAside,
      priced: parentPriced,
    } = stack.pop() as (typeof stack)[0];
    if (!isElement(node)) {
      if (node.type === 'root' && 'children' in node)
        for (let i = node.children.length - 1; i >= 0; i--)
          stack.push({ node: node.children[i] as AnyNode, struck: false, aside: false, priced: false });
      continue;
    }
    const name = node.name;
    if (
      name === 'script' ||
      name === 'style' ||
      name === 'noscript' ||
      name === 'template' ||
      name === 'svg' ||
      name === 'head' ||
      name === 'select' ||
      name === 'option'
    )
      continue;
    const order = n++;
    out.order.set(node, order);
    const cls = classOf(node);
    const style = node.attribs.style ?? '';
    const struck =
      parentStruck || STRUCK_TAGS.has(name) || STRUCK_CLASS.test(cls) || /line-through/.test(style);
    const aside =
      (parentAside ||
        name === 'nav' ||
        name === 'footer' ||
        name === 'header' ||
        name === 'aside' ||
        ASIDE_CLASS.test(cls) ||
        (node.attribs.itemscope !== undefined &&
          /Product/.test(node.attribs.itemtype ?? '') &&
          h1 !== undefined &&
          !headingAncestors.has(node))) &&
      name !== 'body' &&
      name !== 'html' &&
      name !== 'main';
    const priceClass = PRICE_CLASS.test(cls);
    const priced = parentPriced || priceClass;
    if (name === 'h1' && out.h1 === undefined) out.h1 = order;
    if (/breadcrumb/i.test(`${cls} ${node.attribs['aria-label'] ?? ''}`) && out.crumbs.length < 5)
      out.crumbs.push(node);
    if (!struck && !aside) {
      const own = ownText(node).trim();
      if (own && own.length <= MAX_PRICE_TEXT && /\d/.test(own)) {
        const text = priceClass || own.length < 4 ? textOf(node, 200).trim() : own;
        if (text.length <= MAX_PRICE_TEXT)
          out.prices.push({
            element: node,
            text,
            order,
            priceClass: priced,
            current: CURRENT_CLASS.test(cls),
          });
      } else if (priceClass && node.attribs.content && /\d/.test(node.attribs.content)) {
        out.prices.push({
          element: node,
          text: `${node.attribs.content} ${textOf(node, 100)}`.trim(),
          order,
          priceClass: true,
          current: CURRENT_CLASS.test(cls),
        });
      }
    }
    if (!aside && (name === 'button' || name === 'input' || name === 'a')) {
      const label = `${name === 'input' ? (node.attribs.value ?? '') : textOf(node, 200)} ${cls} ${node.attribs.name ?? ''} ${node.attribs.title ?? ''}`;
      if (BUY.test(label)) {
        const disabled =
          node.attribs.disabled !== undefined ||
          /(?:^|[\s_-])(?:disabled|inactive|unavailable|sold-?out)(?:$|[\s_-])/i.test(
            node.attribs.class ?? '',
          ) ||
          node.attribs['aria-disabled'] === 'true';
        out.buttons.push({ element: node, order, disabled, text: label });
      } else if (NOTIFY.test(label)) out.notify.push(order);
    }
    if (!aside && out.codes.length < 50 && CODE_CLASS.test(`${cls} ${attributeNames(node)}`)) {
      const text = textOf(node, 100).trim();
      if (text.length >= 3 && text.length <= 40 && /\d/.test(text) && CODE.exec(text)?.[0] === text)
        out.codes.push({ text, order });
    }
    if (!aside && STOCK_CLASS.test(cls)) {
      const text = textOf(node, 300).trim();
      if (text && text.length < 120) out.stock.push({ text, order });
    }
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i] as AnyNode, struck, aside, priced });
  }
  return out;
}

function pickPrice(w: Walked): { price: string; confidence: number } | undefined {
  const anchor = w.buttons.find((b) => !b.disabled)?.order ?? w.buttons[0]?.order;
  let best: { price: string; score: number } | undefined;
  for (const candidate of w.prices.slice(0, 3000)) {
    if (NOT_PRICE.test(candidate.text)) continue;
    const parsed = parsePrice(candidate.text);
    if (!parsed.amount || Number(parsed.amount) <= 0) continue;
    if (!parsed.currencyText && !candidate.priceClass) continue;
    // Bare numbers ("2020", "64 GB") without a price class are not prices.
    const residue = candidate.text.replace(/[\d\s.,'’]/g, '').replace(parsed.currencyText ?? '', '');
    if (residue.length > 12) continue;
    let score = (candidate.priceClass ? 3 : 0) + (parsed.currencyText ? 2 : 0) + (candidate.current ? 1 : 0);
    if (w.h1 !== undefined) {
      const d = candidate.order - w.h1;
      score -= d >= 0 ? Math.log2(1 + d) / 3 : 2 + Math.log2(1 - d) / 2;
    }
    if (anchor !== undefined) score -= Math.log2(1 + Math.abs(candidate.order - anchor)) / 4;
    if (!best || score > best.score) best = { price: candidate.text, score };
  }
  if (!best) return undefined;
  return { price: best.price, confidence: w.h1 !== undefined ? 0.55 : 0.45 };
}

function pickAvailability(w: Walked): { value: string; confidence: number } | undefined {
  const h1 = w.h1 ?? 0;
  const near = (order: number): boolean => Math.abs(order - h1) < 400;
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
function labelled(text: string, label: RegExp, headingAt: number): string | undefined {
  label.lastIndex = 0;
  let best: { code: string; distance: number } | undefined;
  let match: RegExpExecArray | null = label.exec(text);
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
    match = label.exec(text);
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

/** Fields from the page's visible layout and wording. */
export function extractHeuristics(page: ExtractorPage): ScoredFields | null {
  const index = indexPage(page.$);
  const w = walkPage(index.root, index.h1);
  const heading = index.h1 ? cleanText(textOf(index.h1, 2000), 1000) : undefined;
  const body = textOf(index.root, 400_000).replace(/\s+/g, ' ');
  const headingAt = heading ? Math.max(0, body.indexOf(heading.slice(0, 60))) : 0;

  const fields: Fields = {};
  const confidence: Partial<Record<keyof Fields, number>> = {};
  if (heading) fields.title = heading;
  const price = pickPrice(w);
  if (price) {
    fields.price = price.price;
    confidence.price = price.confidence;
  }
  const availability = pickAvailability(w);
  if (availability) {
    fields.availability = availability.value;
    confidence.availability = availability.confidence;
  }
  const sku = labelled(body, SKU_LABEL, headingAt);
  const gtin = labelled(body, GTIN_LABEL, headingAt);
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
