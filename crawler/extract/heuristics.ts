/**
 * Page heuristics for pages without (or with incomplete) markup: the price shown with the
 * product's heading and buy button, availability from what the buy box says, identifiers from
 * labelled values ("SKU: …", "ASIN …", "Art.-Nr. …", "型番 …") or the page URL, and the
 * breadcrumb trail. Every field scores below structured data, except an out-of-stock notice the
 * buy box confirms (see pickAvailability).
 *
 * Evidence is weighed by where it sits: the main product's buy box (near the heading, the main
 * price and the add-to-cart control) against everything else. Blocks that show other products
 * (related, recommended, sponsored, sliders), page chrome, hidden templates and variant pickers
 * are read for text only.
 */
import type { AnyNode, Element } from 'domhandler';
import { normaliseAvailability, stockPhrase } from '../normalise/availability.ts';
import { parsePrice } from '../normalise/price.ts';
import { cleanText } from '../normalise/text.ts';
import { extractCanonical } from './canonical.ts';
import { BREAKS, indexPage, isElement, SPACERS, textOf, walk } from './dom.ts';
import { scoreFields } from './fields.ts';
import { BLOCK, lowered, readIdentifiers, readModel, readStockLabel, stockAnswer } from './labels.ts';
import { compactCode, urlTokens } from './merge-keys.ts';
import { classifyPrice, EXCLUDING_TAX, type PriceKind, phraseOf, QUANTITY } from './price-context.ts';
import { trimBreadcrumb } from './schema-org.ts';
import type { ExtractorPage, Fields, ScoredFields } from './types.ts';

const MAX_ELEMENTS = 60_000;
// One amount and nothing numeric besides it: "25,99 zł /szt.", "$ 1 299.00", not "$39.99 $29.99".
function singleAmount(text: string): boolean {
  const runs = text.match(/\d[\d.,'’]*/g);
  if (!runs) return false;
  return (
    runs.length === 1 ||
    /^\D*\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?\D*$/.test(text) ||
    // Cents set apart by a stray space, as the price parser reads them: "118, 99 TL", "118 ,99";
    // or by the currency's symbol, as French shops print prices: "64€99".
    /^\D*\d{1,3}(?:[.,]\d{3})*(?:[.,][ \u00a0]| [.,]|\p{Sc})\d{2}\D*$/u.test(text)
  );
}
const MAX_PRICE_TEXT = 60;
const PERCENT_OFF = /[-−–]?\s?\d{1,2}\s?%(?:\s?\p{L}{1,10})?/gu;
const MODEL_CODE = /^\p{L}{1,5}-\d[\p{L}\d-]*$/u;

// Crossed-out and reference prices: not what the product sells for now.
const STRUCK_TAGS = new Set(['del', 's', 'strike']);
// ("with-list-price" marks the current price shown beside a list price.)
const STRUCK_CLASS =
  /(?:^|[\s_-])(?<!with[-_])(?:old|was|regular|strike|striked|strikethrough|crossed|compare|before|original|origin|rrp|uvp|msrp|reference|prev|previous|initial|non-sale)(?:[\s_-]|price|$)|(?:^|[\s_-])list[\s_-]?(?:price|amount)|line-through|oldprice|wasprice|listprice|compareprice|regularprice|price-?old|price-?before|price-?was|price-?origin|price--rrp/i;
// Blocks that show other products, or page chrome.
const ASIDE_CLASS =
  /related|recommend|similar|upsell|up-sell|cross-?sell|also-?(?:bought|viewed|like)|recent|viewed|suggest|accessor|bundle|minicart|mini-cart|cart-?drawer|header|footer|(?:^|[\s_-])nav|menu|megamenu|newsletter|cookie|popup|modal|sponsored|frequently|bought-?together|compare-?with|comparison|other-?sellers|more-?buying/i;
// Sliding blocks: other products' cards as often as the product's own gallery and price box, so
// their prices count less rather than not at all.
const SLIDER_CLASS = /carousel|slider|swiper/i;
const PRICE_CLASS = /price|cena|preis|prix|precio|prezzo|preco|preço|цена|kaina|hind|hinta|pris|fiyat/i;
const CURRENT_CLASS =
  /sale|special|current|final|now|actual|offer|promo|selling|new|discount|our|deal|amount|value|topay|to-pay/i;
// Unit and base prices ("€29.98 / 1 l") have classes of their own.
const UNIT_CLASS =
  /unit-?price|price-?unit|base-?price|baseprice|grundpreis|price-?per|per-?unit|unitprice|reference-?(?:price|content)|price-?reference|price-?measure|comparison-?price|jamforpris/i;
// Hidden by a utility class: templates the page's scripts show later.
const HIDDEN_CLASS =
  /(?:^|\s)(?:hidden|aok-hidden|a-hidden|d-none|is-hidden|hide|u-hidden|js-hidden|invisible|display-none|is-hide|visually-hidden-focusable-none)(?:\s|$)/;
// Variant pickers: their "sold out" marks another size, their prices other variants.
const PICKER_CLASS =
  /swatch|variant|variation|(?:^|[\s_-])options?(?:$|[\s_-])|size-?(?:select|picker|list|chart)|attribute-?(?:select|picker)/i;
const BADGE_CLASS = /badge|flag|ribbon|sticker|(?:^|[\s_-])tag(?:$|[\s_-])|(?:^|[\s_-])pill(?:$|[\s_-])/i;
// Amounts saved, shipping: not the product's price.
const NOT_PRICE =
  /(?<![\p{L}])(?:you\s+)?sav(?:e|ings?)(?![\p{L}])|省|ahorr|économ|sparen|spare|ersparnis|risparm|oszczęd|bespaar|ušetř|ietaup|sutaup|säästä|экономи|お得|tiết kiệm|(?<![\p{L}])hemat|ประหยัด|tasarruf|توفير|חיסכון|חסוך|economisești|(?<![\p{L}])(?:economi[sz]e|economia|economía|poupe|poupa|spar(?:a|ar)|jimat)(?![\p{L}])|ušetr|ušted|prihran|megtakarít|εξοικονόμ|κερδίζετε|економ|спестява|спестете|बचत|절약|할인\s*금액|(?<![\p{L}])وف(?:ّ)?ر(?:ت)?(?![\p{L}])|%|shipping|versand|livraison|envío|envio|despacho|frete|spedizione|delivery|verzending|dostawa|kargo|ongkir|ongkos kirim|phí vận chuyển|phí ship|ค่าจัดส่ง|subtotal|zwischensumme|sous-total|적립|ポイント|积分|積分|cashback|(?<![\p{L}])(?:points?|pts|punkte|puntos|pontos|бонус(?:ов|ы)?)(?![\p{L}])/iu;
// A price without VAT where the page also shows it with VAT (B2C pages show the latter).
const EXCL_VAT = new RegExp(
  String.raw`${EXCLUDING_TAX}|(?<!\p{L})(?:netto|nettó|net price|ht)(?!\p{L})|hors taxes`,
  'iu',
);
// A currency written apart from the amount's digits ("$<span>99</span>").
const CURRENCY_HINT =
  /\p{Sc}|元|円|원|(?<![\p{L}])(?:kr|zł|kč|ft|lei|lv|kn|rs|rp|r\$|usd|eur|gbp|chf|sek|nok|dkk|pln|czk|huf|ron|bgn|hrk|rub|uah|try|inr|jpy|cny|twd|hkd|sgd|aud|cad|nzd|mxn|brl|clp|cop|ars|pen|руб|грн|лв|tl)(?![\p{L}])/iu;
const BUY =
  /add[\s-]*to[\s-]*(?:cart|bag|basket|trolley)|buy[\s-]*(?:now|it)|in den (?:warenkorb|einkaufswagen)|warenkorb|ajouter au panier|añadir (?:al|a la) (?:carrito|cesta)|agregar (?:al carro|a la bolsa)|aggiungi al carrello|toevoegen aan winkelwagen|in winkelwagen|dodaj do koszyka|adicionar ao carrinho|comprar|acquista(?:\s+ora)?|compra\s+ora|ship it|pick it up|deliver it|place (?:a |your )?bid|bid now|jetzt bieten|gebot abgeben|enchérir|licytuj|入札する|lägg i varukorg|kurvi|ostoskoriin|do košíku|do košíka|do kosika|\bkupi\b|kosárba|в корзину|купить|カートに入れる|購入|加入购物车|立即购买|加入購物車|장바구니|sepete ekle|ielikt grozā|į krepšelį|ostukorvi|dodaj u košaricu|v košarico|u korpu|addtocart|add-to-cart|add_to_cart|buy[\s_-]*(?:button|btn)|buybutton|tocart|(?:jetzt\s+)?kaufen|zum warenkorb|in den korb|acheter|dans le panier|al carrito|nel carrello|in winkelmand|koop nu|bestellen|köp(?:\s+nu)?|i varukorgen|kup teraz|koupit|vásárlás|osta nyt|order now|add to order|purchase|в кошик|カートへ|買い物かごに入れる|加入购物袋|구매하기|thêm vào giỏ|mua ngay|chọn mua|beli sekarang|beli langsung|(?:tambah(?:kan)?|masukkan)\s*(?:ke\s*)?(?:keranjang|troli)|\+\s*keranjang|ใส่ตะกร้า|ซื้อเลย|ซื้อทันที|satın al|hemen al|أضف (?:إلى|الى|لل)\s*السلة|أضف للسلة|اشتر(?:ي)? الآن|הוספה לסל|הוסף לסל|הוסף לעגלה|adaugă în coș|adauga in cos|προσθήκη στο καλάθι/i;
const NOTIFY =
  /notify me|laat (?:het )?(?:me|mij) weten|email me when|alert me|let me know|benachrichtig|m['’]avertir|me prévenir|avísame|avisarme|avvisami|avise-?me|powiadom|meld mij|houd mij op de hoogte|bevaka|сообщить о поступлении|入荷通知|入荷お知らせ|到货通知|haber ver|bana haber|beritahu saya|ingatkan saya|kabari saya|thông báo khi có hàng|báo khi có hàng|แจ้งเตือนเมื่อ|أعلمني|أبلغني|עדכנו אותי|anunță-mă|ειδοποίησέ με|повідомити про наявність/i;
const STOCK_CLASS =
  /stock|availab|inventory|lager|dispon|verfüg|voorraad|magazyn|наличи|在庫|delivery-?(?:information|status)/i;

const CODE_CLASS =
  /(?:^|[\s_-])sku(?:$|[\s_-])|product-?ref|reference|product-?code|productcode|article-?n(?:o|umber)|item-?n(?:o|umber)|cat-?number|catnumber|product-?id(?:$|\s)|style-?n(?:o|umber)|ordernumber|order-?number/i;
// A code is one token with a digit: "A-1234", "466/7999", "002.937.72", not "Montre Connectée".
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}./_-]{1,39}/u;

interface PriceCandidate {
  element: Element;
  text: string;
  order: number;
  priceClass: boolean;
  /** The element itself has a price class (its parent's is looked up when needed). */
  ownPriceClass: boolean;
  current: boolean;
  /** 0: shown as a price; 1: marked old/regular by a class; 2: crossed out (del, s, line-through). */
  struck: 0 | 1 | 2;
  /** In a sliding block, which holds other products as often as the product's own. */
  slider: boolean;
  /**
   * Named for a unit price ("price-per-…", "base-price"). Class names mislead at times (Tesco's
   * "price-per-sellable-unit" is the price), so such an amount is the price only when nothing
   * else is, at a lower confidence.
   */
  unitClass: boolean;
}

interface Button {
  order: number;
  disabled: boolean;
  /** The button itself says the product is sold out ("Sold out", "Out of stock"). */
  soldOut: boolean;
}

type StockKind = 'class' | 'line' | 'badge';

interface StockText {
  text: string;
  order: number;
  kind: StockKind;
  /** Set when the text alone does not say it: a "In stock" cell whose next cell reads "No". */
  value?: string;
}

/** A group of variant options (sizes, colours): how many there are and how many are disabled. */
interface VariantGroup {
  order: number;
  options: number;
  disabled: number;
  /** A disabled option marked as the one chosen: the variant shown cannot be bought. */
  chosenDisabled: boolean;
}

interface Walked {
  h1?: number;
  prices: PriceCandidate[];
  buttons: Button[];
  notify: number[];
  stock: StockText[];
  crumbs: Element[];
  /** Texts of elements whose markup names them an identifier (class "sku", itemprop="sku"…). */
  codes: { text: string; order: number }[];
  /** The page's visible text (as `textOf` gives it, up to MAX_BODY_TEXT characters). */
  body: string;
  /** Where the first variant picker (a select, swatches) sits, if any. */
  picker?: number;
  /** Groups of options to choose from (a select's options, radio inputs, size buttons, swatches). */
  variants: VariantGroup[];
  /** The heading and its ancestors: the product's own blocks. */
  headingBlock: Set<AnyNode>;
}

const MAX_BODY_TEXT = 400_000;
// Characters of visible text searched for labelled codes before and after the heading.
const LABEL_BEFORE = 20_000;
const LABEL_AFTER = 80_000;
// Most labels sit close to the heading: this narrower window is read first, the wide one only
// when it holds none (scanning page text for dozens of labels is the costly part).
const CLOSE_BEFORE = 3_000;
const CLOSE_AFTER = 20_000;

/**
 * A reader of labels over the text near the heading: the close window first, then the text after
 * it, then the text before it, so no part of the page is read twice.
 */
function nearHeading<T>(
  body: string,
  headingAt: number,
  read: (text: string, at: number) => T | undefined,
): T | undefined {
  const closeFrom = Math.max(0, headingAt - CLOSE_BEFORE);
  const closeTo = headingAt + CLOSE_AFTER;
  const close = read(body.slice(closeFrom, closeTo), headingAt - closeFrom);
  if (close !== undefined) return close;
  // The offsets handed to `read` keep distances from the heading: after it positive, before it negative.
  if (closeTo < body.length) {
    const after = read(body.slice(closeTo, headingAt + LABEL_AFTER), headingAt - closeTo);
    if (after !== undefined) return after;
  }
  const from = Math.max(0, headingAt - LABEL_BEFORE);
  return from < closeFrom ? read(body.slice(from, closeFrom), headingAt - from) : undefined;
}

/**
 * An element's text as a price: like textOf, but cents set apart right after the whole amount
 * ("$29<sup>99</sup>", "$249<span class="cents">99</span>") keep their decimal point.
 */
function priceText(element: Element, limit: number): string {
  const text = textOf(element, limit).trim();
  // Only an amount without decimals (thousands groups aside), made of several elements, may have
  // its cents set apart.
  if (element.children.length < 2 || /[.,]\d{1,2}(?!\d)/.test(text) || !/\d/.test(text)) return text;
  // The last element inside holding exactly two digits, right after a digit of the text before it.
  let cents: Element | undefined;
  walk(element, (e) => {
    if (e !== element && /^\s*\d{2}\s*$/.test(textOf(e, 10))) cents = e;
    return true;
  });
  if (!cents) return text;
  const prev = cents.prev;
  const before = prev
    ? prev.type === 'text'
      ? (prev as unknown as { data: string }).data
      : textOf(prev, 40)
    : '';
  // Before the cents: whole units, maybe in thousands groups ("$8,499<sup>00</sup>").
  if (!/\d\s*$/.test(before) || /[.,]\d{0,2}\s*$/.test(before)) return text;
  const digits = textOf(cents, 10).trim();
  const at = text.lastIndexOf(digits);
  return at > 0 ? `${text.slice(0, at).trimEnd()}.${text.slice(at)}` : text;
}

/** A bare amount whose currency is set in an element of its own inside it ("<strong>21,900<span>원</span></strong>"). */
function currencyInChild(element: Element, own: string): boolean {
  if (!/^[\d\s.,'’]+$/.test(own)) return false;
  for (const child of element.children) {
    if (!isElement(child)) continue;
    const text = textOf(child, 20).trim();
    if (text !== '' && text.length <= 5 && !/\d/.test(text)) return true;
  }
  return false;
}

/**
 * Whether an element's amount is split at its decimal separator across its children:
 * "<b>118,</b> <b>99 TL</b>", "<span>25</span><sup>,99</sup>", "64<sup>€99</sup>" (the symbol as
 * the decimal point, as French shops print prices).
 */
function splitAtSeparator(element: Element): boolean {
  let before = '';
  for (const child of element.children) {
    const text = (
      isElement(child)
        ? textOf(child, 40)
        : child.type === 'text'
          ? (child as unknown as { data: string }).data
          : ''
    ).trim();
    if (text === '') continue;
    if (
      (/\d[.,]$/.test(before) && /^\d/.test(text)) ||
      (/\d$/.test(before) && (/^[.,]\d/.test(text) || /^\p{Sc}\d{2}(?!\d)/u.test(text)))
    )
      return true;
    before = text;
  }
  return false;
}

function ownText(element: Element): string {
  let out = '';
  for (const child of element.children)
    if (child.type === 'text') {
      const data = (child as unknown as { data: string }).data;
      out = out === '' ? data : out + data;
    }
  return out;
}

/**
 * Attributes whose values name what an element is: class names and ids, and where those are
 * hashed by a CSS toolchain ("pdp_d3", "sc-pr6hlf-1"), the names sites give their components for
 * tests and analytics (`data-widget="webPrice"`, `data-testid`, `data-qa`).
 */
const NAMING_ATTRIBUTES = [
  'class',
  'id',
  'itemprop',
  'data-test',
  'data-testid',
  'data-test-id',
  'data-qa',
  'data-cy',
  'data-widget',
  'data-component',
  'data-automation-id',
];

const NAMING = new Set(NAMING_ATTRIBUTES);

function classOf(element: Element): string {
  const a = element.attribs;
  let out = '';
  for (const name of NAMING_ATTRIBUTES) {
    const value = a[name];
    if (value !== undefined) out = out === '' ? value : `${out} ${value}`;
  }
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
const C_UNIT = 256;
const C_HIDDEN = 512;
const C_PICKER = 1024;
const C_BADGE = 2048;
const classBits = new Map<string, number>();

function bitsOf(cls: string): number {
  let bits = classBits.get(cls);
  if (bits !== undefined) return bits;
  // BEM modifiers describe a variant of the block ("product--thumbnail_slider" is a product whose
  // gallery slides): they do not make the block a slider or a sidebar.
  const block = cls.includes('--') ? cls.replace(/\S*--\S*/g, '') : cls;
  // camelCase names ("fpStriked", "priceOld") split into words, as the hyphenated ones are.
  const words = /[a-z][A-Z]/.test(cls) ? cls.replace(/([a-z])([A-Z])/g, '$1-$2') : cls;
  bits =
    (STRUCK_CLASS.test(words) ? C_STRUCK : 0) |
    (ASIDE_CLASS.test(block) ? C_ASIDE : 0) |
    (PRICE_CLASS.test(cls) ? C_PRICE : 0) |
    (CURRENT_CLASS.test(cls) ? C_CURRENT : 0) |
    (STOCK_CLASS.test(cls) ? C_STOCK : 0) |
    (/breadcrumb/i.test(cls) ? C_CRUMB : 0) |
    (SLIDER_CLASS.test(block) ? C_SLIDER : 0) |
    (CODE_CLASS.test(cls) ? C_CODE : 0) |
    (UNIT_CLASS.test(cls) ? C_UNIT : 0) |
    (HIDDEN_CLASS.test(cls) ? C_HIDDEN : 0) |
    (PICKER_CLASS.test(cls) ? C_PICKER : 0) |
    (BADGE_CLASS.test(cls) ? C_BADGE : 0);
  if (classBits.size > 20_000) classBits.clear();
  // Kept as a copy: the parser's attribute values are cut from the page's HTML, and a kept cut
  // keeps all of that page's HTML alive (ids are new on every page).
  classBits.set(` ${cls}`.slice(1), bits);
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

/**
 * bitsOf(classOf(element)), found value by value: no pattern above matches across the space that
 * joins the values in classOf (where one needs a boundary, a value's start or end serves as that
 * space does), so the joined string's bits are those of its values together. The values are looked
 * up as the parser left them: joining them made a new string per element to flatten and hash.
 */
function elementBits(element: Element): number {
  const a = element.attribs;
  let bits = 0;
  // The element's own attributes (a few) rather than a look-up of every naming attribute.
  for (const name in a) {
    if (!NAMING.has(name)) continue;
    const value = a[name] as string;
    if (value !== '') bits |= bitsOf(value);
  }
  return bits;
}

function parentBits(element: Element): number {
  const parent = element.parent;
  if (!parent || !isElement(parent)) return 0;
  return elementBits(parent);
}

/** Hidden by the `hidden` attribute, an inline style or a utility class. */
function isHidden(attribs: Record<string, string>, style: string | undefined, bits: number): boolean {
  if ((bits & C_HIDDEN) !== 0 || attribs.hidden !== undefined) return true;
  return (
    style !== undefined &&
    (style.includes('none') || style.includes('hidden')) &&
    /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)
  );
}

// Words that may lead a stock line: "Only 3 left", "This item is currently out of stock".
const STOCK_LEAD =
  /^[\s\p{P}\p{S}\d]*(?:(?:only|just|currently|now|still|left|items?|pieces|pcs|units|nur|noch|solo|sólo|seulement|plus que|ancora|nog|tylko|jen|endast|vain|ещё|осталось|残り|仅剩|this item is|this product is|en|produto|ürün|dit|deze|dieser|diese|dieses|ce|cet|cette|este|esta|questo|questa|ten|ta|denna|detta|this|is|ist|est|está|è|jest|är|er|sorry|unfortunately|leider|désolé|malheureusement|lo sentimos|lamentablemente|purtroppo|helaas|niestety|tyvärr|desværre|dessverre|beklager|item|product|produkt|artikel|article|artículo|articolo|prodotto|produit|producto|status|stock|lager|temporarily|momentan|derzeit|actuellement|actualmente|attualmente|shipping|delivery|online|pickup|in-store|in store|versand|lieferung|online-shop|livraison|retrait|envío|envio|consegna|bezorgen|dostawa)[\s:,\-–]*)*[\s\p{P}\p{S}\d]*$/iu;

// Stock of one store or a pickup option ("Out of stock at Downtown Minneapolis", "in stock in
// 3 stores near you"), not of the product online.
const STORE_STOCK =
  /^[\s,:-]*(?:at\s+\p{Lu}|at (?:your|this|the|my|a) |near (?:you|me)|in (?:your |local |the |\d+ |some )?(?:stores?|shops?)\b|in-store|for (?:store )?pick-?up|for collection|bei |im markt|in der filiale|en (?:tienda|magasin|boutique)|dans (?:votre )?magasin|in negozio|in winkel|w sklepie)/iu;

/**
 * A plain "In stock" / "Sold out" line: the stock wording leads the element's text and little
 * follows it, so "Date First Available" or a sentence about delivery is no stock line.
 */
function isStockLine(text: string): boolean {
  if (normaliseAvailability(text) === 'Unknown') return false;
  const found = stockPhrase(text);
  return (
    found !== null &&
    text.length - found.end <= 30 &&
    STOCK_LEAD.test(text.slice(0, found.index)) &&
    !STORE_STOCK.test(text.slice(found.end))
  );
}

const SENTENCE_END = /[.!。！]\s|[.!。！]$|\s[–—]\s/u;

/** The first sentence of a longer text when it is short and says the product is sold out. */
function soldOutSentence(text: string): string | undefined {
  if (text.length > 300) return undefined;
  const trimmed = text.trim();
  const end = trimmed.search(SENTENCE_END);
  if (end < 0 || end > MAX_STOCK_TEXT) return undefined;
  const sentence = trimmed.slice(0, end + 1).trim();
  return normaliseAvailability(sentence) === 'OutOfStock' ? sentence : undefined;
}

/**
 * Whether a stock block says both "in stock" and "out of stock", phrase by phrase: a table of
 * stores or sizes ("Akiba 在庫あり · 札幌 在庫なし"), which says nothing of the product as a whole.
 */
function mixedStock(text: string): boolean {
  let inStock = false;
  let outOfStock = false;
  let rest = text;
  for (let i = 0; i < 6; i++) {
    const phrase = stockPhrase(rest);
    if (!phrase) return false;
    if (phrase.value === 'InStock') inStock = true;
    else if (phrase.value === 'OutOfStock') outOfStock = true;
    if (inStock && outOfStock) return true;
    rest = `${rest.slice(0, phrase.index)} · ${rest.slice(phrase.end)}`;
  }
  return false;
}

/** A control's words that say "sold out" and little else. */
function isSoldOut(text: string): boolean {
  const trimmed = text.trim();
  return isStockLine(trimmed) && normaliseAvailability(trimmed) === 'OutOfStock';
}

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'select', 'option']);
const F_STRUCK = 1;
const F_CROSSED = 2;
const F_ASIDE = 4;
const F_PRICED = 8;
const F_SLIDER = 16;
const F_HIDDEN = 32;
const F_UNIT = 64;
const F_PICKER = 128;
const F_BUTTON = 256;
const F_LINK = 512;
// Inside an element whose amount was read whole from its parts ("<b>118,</b> <b>99 TL</b>").
const F_PARTS = 1024;
const STOCK_REACH = 600;
// Plain stock lines are looked for closer to the heading: every short text there is classified.
const LINE_BEFORE = 30;
const LINE_REACH = 250;
const MAX_STOCK_TEXT = 60;

const MAX_VARIANT_GROUPS = 8;
const DISABLED_CLASS =
  /(?:^|[\s_-])(?:disabled|unavailable|sold-?out|soldout|out-?of-?stock|oos|inactive)(?:$|[\s_-])/i;
const NOT_OPTION =
  /^(?:prev(?:ious)?|next|back|more|less|show|load|zurück|weiter|vorherige|nächste|précédent|suivant|anterior|siguiente|precedente|successivo|vorige|volgende|poprzednia|następna)\b/i;
const SWATCH_CLASS = /swatch|variant-?option|option-?value/i;

/** A choice control among an element's children: a button, a radio input, an option or a swatch. */
function optionKind(child: Element): string | undefined {
  const a = child.attribs;
  if (child.name === 'option') return a.value === '' ? undefined : 'option';
  if (child.name === 'input') return a.type === 'radio' ? 'radio' : undefined;
  if (child.name === 'button') return a.type === 'submit' ? undefined : 'button';
  // Sizes as plain links ("?size=m"), like buttons counted only when some are marked unavailable.
  if (child.name === 'a') return a.href !== undefined ? 'link' : undefined;
  if (a.role === 'option' || a.role === 'radio') return `role-${a.role}`;
  // Swatches: "swatch-option", "variant-option", "option-value" (a substring test first: cheap).
  const cls = a.class;
  return cls !== undefined && (cls.includes('swatch') || cls.includes('option')) && SWATCH_CLASS.test(cls)
    ? `swatch-${child.name}`
    : undefined;
}

/** Whether an option's label is crossed out: `<a><s>XL</s></a>`, or a line-through style. */
function crossedOut(option: Element): boolean {
  if ((option.attribs.style ?? '').includes('line-through')) return true;
  const inner = soleElement(option);
  return inner !== undefined && STRUCK_TAGS.has(inner.name);
}

/** An element's only element child, if it has exactly one. */
function soleElement(element: Element): Element | undefined {
  let found: Element | undefined;
  for (const child of element.children)
    if (isElement(child)) {
      if (found) return undefined;
      found = child;
    }
  return found;
}

/**
 * An element whose children are options of one kind to choose from (sizes, colours): a select's
 * options, radio inputs, size buttons, swatches, with short labels. Buttons count only when some
 * are disabled (a row of enabled buttons is as often tabs or filters). Undefined when it is none.
 */
function optionGroup(node: Element): Omit<VariantGroup, 'order'> | undefined {
  let kind: string | undefined;
  let options = 0;
  let disabled = 0;
  let chosenDisabled = false;
  let misses = 0;
  for (const wrapper of node.children) {
    if (!isElement(wrapper)) continue;
    // Options come first or after a label or two ("<legend>Size</legend>"): three other
    // elements before any option say this is no picker (lists of links, paragraphs).
    if (kind === undefined && misses >= 3) return undefined;
    // Each option in an item of its own: "<li><button>S/M</button></li>".
    let child = wrapper;
    let k = optionKind(wrapper);
    if (k === undefined && (wrapper.name === 'li' || wrapper.name === 'div')) {
      const inner = soleElement(wrapper);
      if (inner) {
        child = inner;
        k = optionKind(inner);
      }
    }
    if (k === undefined) {
      misses++;
      continue;
    }
    if (kind !== undefined && k !== kind) return undefined;
    kind = k;
    const a = child.attribs;
    const label = (k === 'radio' ? (a.value ?? '') : textOf(child, 60)).trim();
    if (
      label.length === 0 ||
      label.length > (k === 'link' ? 20 : 40) ||
      !/[\p{L}\p{N}]/u.test(label) ||
      BUY.test(label) ||
      NOTIFY.test(label) ||
      // Pagination and sliders disable "Previous" on their first page: no variant picker.
      NOT_OPTION.test(label) ||
      /page|slide/i.test(a['aria-label'] ?? '')
    )
      return undefined;
    options++;
    if (
      a.disabled !== undefined ||
      a['aria-disabled'] === 'true' ||
      DISABLED_CLASS.test(a.class ?? '') ||
      crossedOut(child) ||
      normaliseAvailability(label) === 'OutOfStock' ||
      // "M – sold out" said only to screen readers or in a tooltip.
      ((a['aria-label'] ?? a.title) !== undefined &&
        normaliseAvailability(a['aria-label'] ?? a.title) === 'OutOfStock')
    ) {
      disabled++;
      if (isChosen(child)) chosenDisabled = true;
    }
  }
  if (options < 2 || ((kind === 'button' || kind === 'link') && disabled === 0)) return undefined;
  return { options, disabled, chosenDisabled };
}

const CHOSEN_CLASS = /(?:^|[\s_-])(?:selected|checked|is-selected|is-checked|current)(?:$|\s)/i;

/** Whether a variant option is marked as the one chosen (checked, selected, pressed). */
function isChosen(option: Element): boolean {
  const a = option.attribs;
  // A select's prompt ("<option disabled selected>Choose a size</option>") is chosen and disabled.
  if (option.name === 'option' && !a.value) return false;
  return (
    a.checked !== undefined ||
    a.selected !== undefined ||
    a['aria-checked'] === 'true' ||
    a['aria-pressed'] === 'true' ||
    a['aria-selected'] === 'true' ||
    CHOSEN_CLASS.test(a.class ?? '')
  );
}

// Cells that label the cell after them: "In stock" | "No".
const LABEL_CELLS = new Set(['td', 'th', 'dt']);
/** The yes/no or count in the cell after a stock-worded label cell, as availability. */
function cellAnswer(cell: Element): { text: string; value: string } | undefined {
  let next = cell.next;
  while (next && !isElement(next)) next = next.next;
  if (!next || !isElement(next) || !(next.name === 'td' || next.name === 'dd')) return undefined;
  const text = textOf(next, 40).trim();
  const value = stockAnswer(text);
  return value === 'Unknown' ? undefined : { text, value };
}

/** An element's own text split at its <br> children, each piece trimmed (none without a <br>). */
function brLines(element: Element): string[] {
  if (!element.children.some((c) => isElement(c) && c.name === 'br')) return [];
  const out: string[] = [];
  for (const child of element.children)
    if (child.type === 'text') {
      const piece = (child as unknown as { data: string }).data.trim();
      if (piece !== '' && piece.length <= MAX_STOCK_TEXT) out.push(piece);
    }
  return out;
}

/** Whether one of an element's children holds a currency symbol alone ("<span>£</span>"). */
function symbolChild(node: Element): boolean {
  for (const child of node.children)
    if (isElement(child) && child.children.length === 1 && child.children[0]?.type === 'text') {
      const text = textOf(child, 8).trim();
      if (text.length > 0 && text.length <= 4 && !/\d/.test(text) && CURRENCY_HINT.test(text)) return true;
    }
  return false;
}

// An amount with the currency written before or after it: "$59.99", "59,99 €", "1 299,00 zł".
// (A symbol right before the next amount is that amount's: "฿1,290 ฿990" is two amounts.)
const SHOWN_AMOUNT =
  /(?:\p{Sc}|(?<!\p{L})(?:[A-Z]{3}|Rs\.?|kr\.?|R\$)(?!\p{L}))?\s?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d[\d.,'’]*)(?:\s?(?:\p{Sc}|(?<!\p{L})(?:zł|kr\.?|Kč|Ft|lei|TL|[A-Z]{3})(?!\p{L}))(?![ \u00a0]?\d))?/gu;
const HAS_CURRENCY = /\p{Sc}|(?<!\p{L})(?:[A-Z]{3}|Rs\.?|kr\.?|R\$|zł|Kč|Ft|lei|TL)(?!\p{L})/u;

/**
 * One text showing several amounts, each with its currency ("Was $59.99 Now $39.99", "Før 349,00
 * kr. Nu 279,00 kr."), as one phrase per amount: each amount with the words before it, so each
 * is read with its own label.
 */
function pricePhrases(text: string): string[] {
  if (singleAmount(text)) return [text];
  const ends: number[] = [];
  SHOWN_AMOUNT.lastIndex = 0;
  for (let m = SHOWN_AMOUNT.exec(text); m; m = SHOWN_AMOUNT.exec(text)) {
    if (m[0].length === 0) {
      SHOWN_AMOUNT.lastIndex++;
      continue;
    }
    if (/\d/.test(m[0]) && HAS_CURRENCY.test(m[0])) ends.push(m.index + m[0].length);
  }
  if (ends.length < 2 || ends.length > 4) return [text];
  const pieces: string[] = [];
  let start = 0;
  for (const [k, end] of ends.entries()) {
    // The words after the last amount ("(£4.32 each)", "… off") stay with it.
    const stop = k === ends.length - 1 ? text.length : end;
    pieces.push(text.slice(start, stop).trim());
    start = stop;
  }
  return pieces;
}

const SECTION_HEADINGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
// Sections looked at after the heading, at most: recommendation blocks come first after the buy box.
const MAX_SECTIONS = 20;
/** Most elements an `<aside>` may hold to be read as the buy column (a cart box, not a sidebar). */
const MAX_BUY_COLUMN = 300;

/**
 * Whether the block a sub-heading opens shows other products: it links to another page under a
 * product-like name (several words) and shows an amount. "Más productos", "Passend dazu",
 * "Customers also viewed" with a card or two that no class name marks as related.
 */
function otherProductsSection(block: Element): boolean {
  const text = textOf(block, 2000);
  if (!/\d/.test(text) || !CURRENCY_HINT.test(text)) return false;
  let linked = false;
  walk(block, (e) => {
    if (linked) return false;
    if (e.name === 'a') {
      const href = e.attribs.href ?? '';
      if (href !== '' && !href.startsWith('#') && !/^javascript:/i.test(href)) {
        const name = textOf(e, 200).trim();
        if (name.length >= 12 && /\s/.test(name)) linked = true;
      }
      return false;
    }
    return true;
  });
  return linked;
}

/**
 * Whether an `<aside>` after the product's heading, beside its block, is its buy column
 * (marketplaces set the quantity, stock and cart button in a side column, auctions their bid
 * panel): it holds one or two buy, notify or sold-out controls ("Add to cart", "Notify me",
 * "Bidding closed"). A sidebar of other products holds one per
 * product, and a site's sidebar sits in the page's body or before the heading.
 */
function buyColumn(aside: Element, headingAncestors: ReadonlySet<AnyNode>): boolean {
  const parent = aside.parent;
  if (!parent || !isElement(parent) || parent.name === 'body' || !headingAncestors.has(parent)) return false;
  let controls = 0;
  let seen = 0;
  walk(aside, (e) => {
    if (controls > 2 || ++seen > MAX_BUY_COLUMN) return false;
    if (e.name === 'button' || e.name === 'a' || (e.name === 'input' && e.attribs.type !== 'hidden')) {
      const shown = e.name === 'input' ? (e.attribs.value ?? '') : textOf(e, 80);
      if (BUY.test(shown) || NOTIFY.test(shown) || isSoldOut(shown)) controls++;
      return false;
    }
    return true;
  });
  return controls > 0 && controls <= 2 && seen <= MAX_BUY_COLUMN;
}

// Runs of white space other than a single space: replacing these by a space gives what
// replacing every run (/\s+/g) gives, with far fewer replacements (most gaps are one space).
const SPACES = / ?[^\S ]\s*| {2,}\s*/g;

const BLANK = /^\s+$/;

/** Whether a text is white space only (most texts start with a printable ASCII character). */
function isBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  return !(c > 32 && c < 127) && BLANK.test(text);
}

/**
 * Text gathered piece by piece and joined once. Keeping only the last characters of a string
 * built with `+=` (the text before the heading, see walkPage) copied all of it each time.
 * Lengths are those of the text as given; the text joined is for collapsing white space only:
 * a piece of white space alone (the indentation between tags, most of a page's text nodes) is
 * joined as one space, which collapses the same.
 */
class TextPieces {
  private pieces: string[] = [];
  /** The pieces as joined: a blank piece as one space. */
  private packed: string[] = [];
  /** The first piece still kept. */
  private first = 0;
  length = 0;

  push(text: string): void {
    this.pieces.push(text);
    this.packed.push(isBlank(text) ? ' ' : text);
    this.length += text.length;
  }

  /** Keeps the last `keep` characters, as `text.slice(-keep)` would. */
  keepLast(keep: number): void {
    let drop = this.length - keep;
    if (drop <= 0) return;
    const { pieces, packed } = this;
    while (drop > 0) {
      const piece = pieces[this.first] as string;
      if (piece.length <= drop) {
        drop -= piece.length;
        pieces[this.first] = '';
        packed[this.first++] = '';
      } else {
        // The rest of a blank piece is blank: it stays one space.
        pieces[this.first] = piece.slice(drop);
        if (packed[this.first] !== ' ') packed[this.first] = pieces[this.first] as string;
        drop = 0;
      }
    }
    if (this.first > 4096) {
      pieces.splice(0, this.first);
      packed.splice(0, this.first);
      this.first = 0;
    }
    this.length = keep;
  }

  /**
   * The first `limit` characters, or a text whose white space collapses to the same (blank
   * pieces as one space) when all of it is within `limit`.
   */
  joinCollapsible(limit: number): string {
    const whole = this.length <= limit;
    const list = whole ? this.packed : this.pieces;
    const text = (this.first > 0 ? list.slice(this.first) : list).join('');
    return whole ? text : text.slice(0, limit);
  }
}

function walkPage(root: AnyNode, h1: Element | undefined): Walked {
  // Microdata product cards that do not hold the page's heading show other products.
  const headingAncestors = ancestorsOf(h1);
  // The heading's own block, two levels up: a `nav` there is the product's variant links, not chrome.
  const headingParent = h1?.parent ?? undefined;
  const ownBlock = new Set<AnyNode>(
    [headingParent, headingParent?.parent].filter(
      (n) => n && isElement(n) && n.name !== 'body' && n.name !== 'html' && n.name !== 'main',
    ) as AnyNode[],
  );
  const out: Walked = {
    prices: [],
    buttons: [],
    notify: [],
    stock: [],
    crumbs: [],
    codes: [],
    body: '',
    headingBlock: headingAncestors,
    variants: [],
  };
  // The visible text is gathered in the same walk (as textOf would: block elements separate words).
  const body = new TextPieces();
  let bodyLimit = MAX_BODY_TEXT;
  let sections = 0;
  let pricedAfterHeading = false;
  // Explicit stacks (nodes and their inherited flags) rather than recursion or an object per node.
  const nodes: AnyNode[] = [root];
  const flags: number[] = [0];
  let n = 0;
  while (nodes.length > 0 && n < MAX_ELEMENTS) {
    const node = nodes.pop() as AnyNode;
    const inherited = flags.pop() as number;
    if (!isElement(node)) {
      if (node.type === 'text') {
        // The words of buttons ("Check availability in store") are no labelled values. Labels
        // are read near the heading only, so text far past it is not gathered.
        if (body.length < bodyLimit && (inherited & F_BUTTON) === 0) {
          body.push((node as unknown as { data: string }).data);
          if (out.h1 === undefined && body.length > 4 * LABEL_BEFORE) body.keepLast(2 * LABEL_BEFORE);
        }
      } else if (node.type === 'root' && 'children' in node)
        for (let i = node.children.length - 1; i >= 0; i--) {
          nodes.push(node.children[i] as AnyNode);
          flags.push(0);
        }
      continue;
    }
    const name = node.name;
    // An icon or an image between two words keeps them apart (see SPACERS).
    if (SPACERS.has(name) && body.length < bodyLimit) body.push(' ');
    if (SKIPPED.has(name)) {
      // A size or colour to choose: a buy button disabled until then says nothing about stock.
      if (name === 'select' && (inherited & (F_ASIDE | F_HIDDEN)) === 0) {
        out.picker ??= n;
        const group = out.variants.length < MAX_VARIANT_GROUPS ? optionGroup(node) : undefined;
        if (group) out.variants.push({ order: n, ...group });
      }
      continue;
    }
    const order = n++;
    // A sub-heading after the product's heading that opens a block of other products: the rest
    // of that block is read for text only, like a related-products block.
    if (
      SECTION_HEADINGS.has(name) &&
      out.h1 !== undefined &&
      // Past the buy box's price: a sub-heading between the product's heading and its price
      // ("Item Information" on eBay) opens the buy box itself.
      pricedAfterHeading &&
      sections < MAX_SECTIONS &&
      (inherited & (F_ASIDE | F_HIDDEN)) === 0 &&
      node.parent &&
      isElement(node.parent) &&
      !headingAncestors.has(node.parent)
    ) {
      sections++;
      if (otherProductsSection(node.parent))
        for (let k = nodes.length - 1; k >= 0 && nodes[k]?.parent === node.parent; k--)
          flags[k] = (flags[k] as number) | F_ASIDE;
    }
    if (node === h1) {
      out.h1 = order;
      bodyLimit = Math.min(MAX_BODY_TEXT, body.length + 2 * LABEL_AFTER);
    }
    // Block boundaries are kept as a mark, so a label can be told from running text (labels.ts).
    if (BREAKS.has(name)) body.push(name === 'br' ? ' ' : BLOCK);
    const attribs = node.attribs;
    const bits = elementBits(node);
    const ariaLabel = attribs['aria-label'];
    const isCrumb = (bits & C_CRUMB) !== 0 || (ariaLabel !== undefined && /breadcrumb/i.test(ariaLabel));
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
    const style = attribs.style;
    const crossed =
      (inherited & F_CROSSED) !== 0 || STRUCK_TAGS.has(name) || style?.includes('line-through') === true;
    const struck = (inherited & F_STRUCK) !== 0 || (bits & C_STRUCK) !== 0;
    const chrome = name === 'body' || name === 'html' || name === 'main';
    const aside =
      ((inherited & F_ASIDE) !== 0 ||
        (name === 'nav' && !(node.parent && ownBlock.has(node.parent))) ||
        name === 'footer' ||
        (name === 'aside' &&
          !headingAncestors.has(node) &&
          !(out.h1 !== undefined && buyColumn(node, headingAncestors))) ||
        // A block holding the product's heading is the product's own, whatever its name says
        // ("product-header", `<article><header><h1>`, a listing's details in an `<aside>`):
        // page chrome never holds the main heading.
        ((name === 'header' || (bits & C_ASIDE) !== 0) && !headingAncestors.has(node)) ||
        (attribs.itemscope !== undefined &&
          h1 !== undefined &&
          /Product/.test(attribs.itemtype ?? '') &&
          !headingAncestors.has(node))) &&
      !chrome;
    const slider = ((inherited & F_SLIDER) !== 0 || (bits & C_SLIDER) !== 0) && !chrome;
    const hidden = (inherited & F_HIDDEN) !== 0 || isHidden(attribs, style, bits);
    const unit = (inherited & F_UNIT) !== 0 || (bits & C_UNIT) !== 0;
    const picker = (inherited & F_PICKER) !== 0 || (bits & C_PICKER) !== 0 || name === 'fieldset';
    if (picker && !aside && !hidden && out.picker === undefined && (bits & C_PICKER) !== 0)
      out.picker = order;
    // Variant groups count within STOCK_REACH of the heading (see pickAvailability). Most follow
    // the product's name; some themes put them above it, so before the heading the latest
    // groups are kept.
    if (
      !aside &&
      !hidden &&
      node.children.length >= 2 &&
      (out.h1 === undefined || (order - out.h1 < STOCK_REACH && out.variants.length < MAX_VARIANT_GROUPS))
    ) {
      const group = optionGroup(node);
      if (group) {
        if (out.variants.length >= MAX_VARIANT_GROUPS) out.variants.shift();
        out.variants.push({ order, ...group });
        if (out.h1 === undefined) out.picker = order;
        else out.picker ??= order;
      }
    }
    let inButton = (inherited & F_BUTTON) !== 0 || name === 'button';
    const inLink = (inherited & F_LINK) !== 0 || name === 'a';
    const priceClass = (bits & C_PRICE) !== 0;
    const priced = (inherited & F_PRICED) !== 0 || priceClass;
    if (isCrumb && out.crumbs.length < 5) out.crumbs.push(node);
    // Hidden templates, unit prices and other variants' prices are no candidates.
    const own = !aside && !hidden ? ownText(node).trim() : '';
    let parts = false;
    if (!aside && !hidden && !picker && (inherited & F_PARTS) === 0) {
      let text: string | undefined;
      if (own && own.length <= MAX_PRICE_TEXT && /\d/.test(own)) {
        const full = priceClass || own.length < 4 || currencyInChild(node, own) ? priceText(node, 200) : own;
        if (full.length <= MAX_PRICE_TEXT) text = full;
      } else if (
        priceClass &&
        own === '' &&
        node.children.length > 1 &&
        node.children.length <= 8 &&
        // A label beside a crossed-out amount ("价格 <del>¥168.00</del>") is no price set in parts.
        !node.children.some((c) => isElement(c) && STRUCK_TAGS.has(c.name))
      ) {
        // A price set in parts ("<span>25</span><span>,99</span><span>zł</span>"): the whole, when
        // it holds a single amount.
        const full = priceText(node, 100);
        if (full.length <= MAX_PRICE_TEXT && singleAmount(full)) text = full;
      } else if (priceClass && attribs.content && /\d/.test(attribs.content)) {
        text = `${attribs.content} ${textOf(node, 100)}`.trim();
      } else if (own && own.length <= 20 && node.children.length > 1 && CURRENCY_HINT.test(own)) {
        // The currency in the element's own text, the digits in a child: "$<span>99</span>".
        const full = priceText(node, 100);
        if (full.length <= MAX_PRICE_TEXT && /\d/.test(full)) text = full;
      } else if (
        !/\d/.test(own) &&
        own.length <= 20 &&
        node.children.length > 1 &&
        node.children.length <= 6 &&
        symbolChild(node)
      ) {
        // The currency and the digits in children of their own, a label beside them:
        // "Price: <span>£</span><span>38.00</span>".
        const full = priceText(node, 100);
        if (full.length <= MAX_PRICE_TEXT && singleAmount(full)) text = full;
      }
      // A model code whose letters spell a currency ("TK-1720", "RS-485") is no amount.
      if (text !== undefined && MODEL_CODE.test(text.trim())) text = undefined;
      if (text !== undefined && out.h1 !== undefined && /\d/.test(text) && CURRENCY_HINT.test(text))
        pricedAfterHeading = true;
      // One amount whose digits are split across child elements: the pieces are no amounts.
      parts = text !== undefined && text !== own && splitAtSeparator(node) && singleAmount(text);
      if (text !== undefined)
        for (const piece of pricePhrases(text))
          out.prices.push({
            element: node,
            text: piece,
            order,
            priceClass: priced,
            ownPriceClass: priceClass,
            current: (bits & C_CURRENT) !== 0,
            struck: crossed ? 2 : struck ? 1 : 0,
            slider,
            unitClass: unit,
          });
    }
    // Buttons, codes and stock notes in sliding blocks belong to other products' cards.
    const apart = aside || slider || hidden;
    // Their words are no labelled values either; told by attributes alone (reading the text of
    // every link in menus and footers would cost more than it saves).
    if (apart && (name === 'button' || name === 'a') && BUY.test(`${classOf(node)} ${attribs.name ?? ''}`))
      inButton = true;
    if (!apart && (name === 'button' || (name === 'input' && attribs.type !== 'hidden') || name === 'a')) {
      // Buy and notify wordings are short: 80 characters of a link's text are enough.
      const shown = name === 'input' ? (attribs.value ?? '') : textOf(node, 80);
      const label = `${shown} ${classOf(node)} ${attribs.name ?? ''} ${attribs.title ?? ''}`;
      if (BUY.test(label)) {
        inButton = true;
        const disabled =
          attribs.disabled !== undefined ||
          /(?:^|[\s_-])(?:disabled|inactive|unavailable|sold-?out)(?:$|[\s_-])/i.test(attribs.class ?? '') ||
          attribs['aria-disabled'] === 'true';
        // The button itself reads "Sold out" (not a hidden label among others it carries).
        const soldOut = shown.length < 60 && isSoldOut(shown);
        out.buttons.push({ order, disabled, soldOut });
        // Past the buy box once its buy control is (a price may sit above the heading).
        if (out.h1 !== undefined) pricedAfterHeading = true;
      } else if (NOTIFY.test(label)) {
        inButton = true;
        out.notify.push(order);
      } else if (
        name === 'button' &&
        shown.length < 30 &&
        // A size tile that says its size is sold out ("36 ausverkauft", role="radio") is an option.
        !/\d/.test(shown) &&
        attribs.role !== 'radio' &&
        attribs.role !== 'option' &&
        attribs['aria-checked'] === undefined &&
        attribs['aria-pressed'] === undefined &&
        isSoldOut(shown)
      )
        // A submit button that reads "Sold out" instead of "Add to cart".
        out.buttons.push({ order, disabled: true, soldOut: true });
    }
    if (!apart && out.codes.length < 50 && isCodeClass(node, bits)) {
      const text = textOf(node, 100).trim();
      if (text.length >= 3 && text.length <= 40 && /\d/.test(text) && CODE.exec(text)?.[0] === text)
        out.codes.push({ text, order });
    }
    // Availability is read within STOCK_REACH elements of the heading (see pickAvailability).
    if (!apart && !picker && (out.h1 === undefined || order - out.h1 < STOCK_REACH)) {
      if ((bits & C_STOCK) !== 0) {
        const text = textOf(node, 300).trim();
        if (text && text.length < 120 && !mixedStock(text)) out.stock.push({ text, order, kind: 'class' });
      } else if (
        own !== '' &&
        !inButton &&
        !inLink &&
        (out.h1 === undefined
          ? order < LINE_REACH
          : order - out.h1 > -LINE_BEFORE && order - out.h1 < LINE_REACH)
      ) {
        // A notice whose first sentence says sold out: "Currently unavailable. We don't know when
        // or if this item will be back in stock." (only sold out: "Available in three colours.
        // Made from…" opens many descriptions).
        const line = own.length <= MAX_STOCK_TEXT ? own : soldOutSentence(own);
        const kind = (bits & C_BADGE) !== 0 ? 'badge' : 'line';
        if (line !== undefined && isStockLine(line)) {
          // A label cell ("In stock" | "No"): its value cell says which.
          const answer = LABEL_CELLS.has(name) ? cellAnswer(node) : undefined;
          out.stock.push(
            answer
              ? { text: `${line}: ${answer.text}`, order, kind, value: answer.value }
              : { text: line, order, kind },
          );
        } else if (own.length <= 4 * MAX_STOCK_TEXT && node.children.length >= 3)
          // Lines set apart by <br> in one element ("$64.99<br>Out of stock<br>Item number: …").
          for (const piece of brLines(node))
            if (isStockLine(piece)) out.stock.push({ text: piece, order, kind });
      }
    }
    const passed =
      (struck ? F_STRUCK : 0) |
      (crossed ? F_CROSSED : 0) |
      (aside ? F_ASIDE : 0) |
      (priced ? F_PRICED : 0) |
      (slider ? F_SLIDER : 0) |
      (hidden ? F_HIDDEN : 0) |
      (unit ? F_UNIT : 0) |
      (picker ? F_PICKER : 0) |
      (inButton ? F_BUTTON : 0) |
      (inLink ? F_LINK : 0) |
      (parts || (inherited & F_PARTS) !== 0 ? F_PARTS : 0);
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i] as AnyNode);
      flags.push(passed);
    }
  }
  out.body = body.joinCollapsible(MAX_BODY_TEXT).replace(SPACES, ' ');
  return out;
}

const NEAR_TIE = 0.1;

// A price marked old/regular counts as a reference price only when a current price is shown
// within this many elements of it; alone, it is the price (themes name the live price "old").
const REFERENCE_SPAN = 12;

// What the words around a price cost it: unit and card-holder prices are shown beside the price,
// a "from" price is often that of other offers; an instalment is never the price.
const KIND_PENALTY: Record<PriceKind, number> = {
  instalment: Number.POSITIVE_INFINITY,
  unit: 4,
  each: 1,
  member: 3,
  offers: 3,
  // Shops showing both put either first; the one shown first is the shop's own choice.
  net: 0,
  from: 0.1,
  reference: 0,
};

interface Checked {
  amount: string;
  currency: boolean;
  /** Filled in by kindOf, once it has looked around the candidate. */
  kind?: Kind;
}

interface Kind {
  kind: PriceKind | null;
  /** False for an instalment or a price in another product's card. */
  usable: boolean;
}

interface ScoredPrice {
  candidate: PriceCandidate;
  score: number;
  kind: PriceKind | null;
  /** Why it could not be the price, when it could not. */
  refused?: string | undefined;
}

/** The runners-up worth showing: one per text, best first, at most six. */
function distinctOthers(scored: ScoredPrice[], chosen: PriceCandidate): ScoredPrice[] {
  const seen = new Set<string>([chosen.text]);
  const out: ScoredPrice[] = [];
  for (const s of scored.toSorted((a, b) => (a.refused ? 1 : 0) - (b.refused ? 1 : 0) || b.score - a.score)) {
    if (seen.has(s.candidate.text) || s.candidate.text.length < 3) continue;
    seen.add(s.candidate.text);
    out.push(s);
    if (out.length >= 6) break;
  }
  return out;
}

interface Picked {
  price: string;
  confidence: number;
  order: number;
  /** Amounts shown crossed out or as regular prices beside the chosen one. */
  references: string[];
  /** The runners-up, best first, for explanations. */
  others: ScoredPrice[];
  chosen: ScoredPrice;
}

function contextOf(element: Element): string {
  const parent = element.parent;
  if (!parent || !isElement(parent)) return '';
  // Indentation counts for nothing ("\n      netto\n    " is one word).
  const own = ownText(parent).replace(/\s+/g, ' ').trim();
  // The words of another amount beside it are that amount's: "£4.80 each (£4.00 ex VAT)".
  const digit = own.search(/\d/);
  return own.length <= 80 ? (digit >= 0 ? own.slice(0, digit) : own) : '';
}

/** Whether `node` has a sibling element of the same tag and class: one of a row of cards. */
function repeated(node: Element): boolean {
  const parent = node.parent;
  if (!parent || !('children' in parent)) return false;
  const cls = node.attribs.class;
  let same = 0;
  for (const sibling of parent.children)
    if (isElement(sibling) && sibling.name === node.name && sibling.attribs.class === cls && ++same > 1)
      return true;
  return false;
}

/**
 * Whether a price sits in another product's card: a small block, one of a row of alike blocks,
 * that also holds a link with a name to another page of the same shop. Recommendation rows and
 * carousels without telling class names are made of such cards; the product's own buy box is not
 * repeated, and its links lead to its own offers, reviews or shipping terms.
 */
/** The page's own place, to tell links to other products from links about this one. */
interface PagePlace {
  url: string;
  host: string;
  path: string;
  /** The path without its extension or trailing slash. */
  stem: string;
  /** The product id in the URL, if any. */
  id: string | undefined;
  heading: string | undefined;
  /** The heading and its ancestors: the product's own blocks. */
  headingBlock: Set<AnyNode>;
}

function placeOf(
  pageUrl: string,
  heading: string | undefined,
  headingBlock: Set<AnyNode>,
): PagePlace | undefined {
  try {
    const url = new URL(pageUrl);
    const path = url.pathname;
    return {
      url: pageUrl,
      host: url.host,
      path,
      stem: path.replace(/\.[a-z]+$/i, '').replace(/\/+$/, ''),
      id: urlIdentifier(pageUrl),
      heading,
      headingBlock,
    };
  } catch {
    return undefined;
  }
}

function inOtherProductCard(element: Element, place: PagePlace | undefined): boolean {
  if (!place) return false;
  const { host, path, stem, id, heading, headingBlock } = place;
  // Links about this very product (its offers, reviews, questions) lead below its own path or carry its id.
  const aboutThis = (target: string): boolean =>
    target === path ||
    (stem.length > 1 && target.startsWith(stem)) ||
    (id !== undefined && target.includes(id));
  let node: AnyNode | null = element.parent;
  for (let depth = 0; node && isElement(node) && depth < 5; depth++, node = node.parent) {
    // The block that holds the page's heading is the product's own, never another's card.
    if (headingBlock.has(node)) return false;
    const text = textOf(node, 400);
    if (text.length > 300) return false;
    if (!repeated(node)) continue;
    let found = false;
    walk(node, (e) => {
      if (found) return false;
      if (e.name !== 'a' || !e.attribs.href) return true;
      const name = textOf(e, 200).trim();
      if (name.length < 12 || (heading && name === heading) || BUY.test(name) || NOTIFY.test(name))
        return true;
      try {
        const target = new URL(e.attribs.href, place.url);
        if (target.host === host && !aboutThis(target.pathname)) found = true;
      } catch {
        // an unusable link names nothing
      }
      return !found;
    });
    if (found) return true;
  }
  return false;
}

// An enabled buy control this close after a disabled one is the same buy box's (a theme's
// placeholder, then the working button); further on it is another product's.
const BUTTON_NEAR = 4;

/**
 * The main add-to-cart control: the first one after the heading, or an enabled one right after
 * it. An enabled button further down (another product's card) does not make a disabled main
 * button enabled.
 */
function mainButton(w: Walked): Button | undefined {
  const h1 = w.h1 ?? 0;
  const near = w.buttons.filter((b) => Math.abs(b.order - h1) < STOCK_REACH);
  const first = near.find((b) => b.order > h1) ?? near[0];
  if (!first?.disabled) return first;
  return (
    near.find((b) => !b.disabled && b.order > first.order && b.order - first.order <= BUTTON_NEAR) ?? first
  );
}

/**
 * Whether a text is an amount with little else: a few words at most ("$39.99", "19,90 € TTC"), or
 * a short label before it ("Precio internet $39.990", "Our price: $189.00"), not a sentence.
 */
function labelledAmount(text: string, currencyText: string | null): boolean {
  const words = text.replace(/[\d\s.,'’]/g, '').replace(currencyText ?? '', '');
  if (words.length <= 12) return true;
  const first = text.search(/\d/);
  const last = text.search(/\d[^\d]*$/);
  const lead = text
    .slice(0, first)
    .replace(currencyText ?? '', '')
    .trim();
  const tail = text
    .slice(last + 1)
    .replace(currencyText ?? '', '')
    .trim();
  // A label is a few words ("Precio internet", "Our price:"), not a sentence ("The best one costs").
  return (
    singleAmount(text) &&
    lead.length <= 24 &&
    (lead.match(/\p{L}+/gu)?.length ?? 0) <= 2 &&
    /[\p{L}:]$/u.test(lead) &&
    !/[.!?]$/.test(tail) &&
    tail.length <= 6 &&
    words.length <= 30
  );
}

// An unmarked old price and the current one: at most this many elements apart, in a block at
// most this many levels above either.
const UNMARKED_SPAN = 4;
// A price, a saving and the price after it, each with its label: the sum is evidence enough to
// look further.
const SAVING_SPAN = 12;
const UNMARKED_DEPTH = 2;

/** The closest element holding both `a` and `b`, at most UNMARKED_DEPTH levels above each. */
function sharedBlock(a: Element, b: Element): Element | undefined {
  const above: AnyNode[] = [];
  for (let n: AnyNode | null = a, d = 0; n && d <= UNMARKED_DEPTH; n = n.parent, d++) above.push(n);
  for (let n: AnyNode | null = b, d = 0; n && d <= UNMARKED_DEPTH; n = n.parent, d++)
    if (above.includes(n)) return isElement(n) ? n : undefined;
  return undefined;
}

// Markup naming a price with or without tax (Magento's `price-excluding-tax`, `data-label="Excl.
// Tax"`): a gross price and a net one side by side, not an old price and a new one.
const TAX_MARK =
  /(?<![a-z])(?:tax|vat|excl|incl|netto|brutto|mwst|iva|tva|btw|moms|gst)|(?<![a-z])(?:net|gross|ht|ttc)(?![a-z])/i;

/** Whether an attribute of `element`, or of its ancestors up to `block`, names tax. */
function taxMarked(element: Element, block: Element): boolean {
  for (let n: AnyNode | null = element; n && isElement(n); n = n.parent) {
    for (const value of Object.values(n.attribs)) if (TAX_MARK.test(value)) return true;
    if (n === block) break;
  }
  return false;
}

/**
 * Whether a candidate's text can be an amount at all: not a saving, shipping or quantity, nor a
 * fraction on its own (",99") or a whole part cut before its cents ("35."), the parts of a price
 * set in parts, which is read whole elsewhere.
 */
function readsAsAmount(text: string): boolean {
  return !(
    NOT_PRICE.test(text) ||
    QUANTITY.test(text) ||
    /^[.,]\d|^\d+[.,]$/.test(text) ||
    CODE_LIKE.test(text) ||
    DEDUCTION.test(text)
  );
}

// An amount taken off ("-$150.00", "− 20 €"): a saving or a discount line, never the price.
const DEDUCTION = /^\s*[-−]\s*\D{0,4}\d/u;
const DEDUCTION_SIGN = /^\s*[-−]/u;

// One token of digits, then letters, then digits again: a model or part number ("R86118K2",
// "SM-G991B2"), whose leading letter may look like a currency sign (R, the rand), not an amount.
const CODE_LIKE = /^\s*\S*\d[A-Za-z]+\d\S*\s*$/;

/** Whether `now` can be a price marked down from `old`: lower, and not by more than 70%. */
const markedDown = (old: number, now: number): boolean => now < old && now >= old * 0.3;

/** Compared as numbers: "32" and "32.00" are one amount. */
function comparable(amount: string): string {
  return amount.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The amount a text holds, currency or not, when it is one above zero. */
function bareAmount(text: string): string | undefined {
  if (!readsAsAmount(text)) return undefined;
  const amount = parsePrice(text).amount;
  return amount && Number(amount) > 0 ? comparable(amount) : undefined;
}

function pickPrice(w: Walked, explain: boolean, place: PagePlace | undefined): Picked | undefined {
  const anchor = mainButton(w)?.order;
  const prices = w.prices.slice(0, 3000);
  const memo: (Checked | null | undefined)[] = new Array(prices.length);
  // Why a candidate was no price, for explanations only.
  const reasons: (string | undefined)[] | undefined = explain ? new Array(prices.length) : undefined;
  // Whether candidate i reads as a price, parsed on demand: most candidates are ruled out by
  // their position before their text needs parsing.
  const check = (i: number): Checked | null => {
    const known = memo[i];
    if (known !== undefined) return known;
    const candidate = prices[i] as PriceCandidate;
    let result: Checked | null = null;
    const text = candidate.text;
    const parsed = readsAsAmount(text) ? parsePrice(text) : undefined;
    const amount = parsed?.amount ? comparable(parsed.amount) : undefined;
    if (reasons)
      reasons[i] = parsed ? 'no price (no currency or price markup)' : 'a saving, shipping or quantity';
    if (
      parsed &&
      amount &&
      Number(amount) > 0 &&
      // A bare number needs price markup on itself or its parent.
      (parsed.currencyText || candidate.ownPriceClass || (parentBits(candidate.element) & C_PRICE) !== 0) &&
      // Bare numbers ("2020", "64 GB", a ten-digit article number) are no prices.
      (parsed.currencyText || /[.,]\d/.test(text) || amount.length <= 6) &&
      labelledAmount(text, parsed.currencyText)
    ) {
      const context = contextOf(candidate.element);
      if (
        !(context && NOT_PRICE.test(context)) &&
        !EXCL_VAT.test(text) &&
        !(context && EXCL_VAT.test(context))
      )
        result = { amount, currency: Boolean(parsed.currencyText), kind: undefined };
      else if (reasons) reasons[i] = 'a price without VAT';
    }
    memo[i] = result;
    return result;
  };
  // What its phrase says the amount is, and whether it sits in another product's card: read only
  // for candidates that could still win, as it looks around them in the tree.
  const kindOf = (i: number, checked: Checked): Kind => {
    if (checked.kind !== undefined) return checked.kind;
    const candidate = prices[i] as PriceCandidate;
    const phrase = phraseOf(candidate.element, candidate.text, checked.amount);
    const kind = classifyPrice(candidate.text, phrase.before, phrase.after);
    let result: Kind = { kind, usable: true };
    if (kind === 'instalment') {
      result = { kind, usable: false };
      if (reasons) reasons[i] = 'an instalment';
    } else if (inOtherProductCard(candidate.element, place)) {
      result = { kind, usable: false };
      if (reasons) reasons[i] = "in another product's card";
    }
    checked.kind = result;
    return result;
  };
  // Two amounts side by side in a block that holds nothing else ("450.000 đ 389.000 đ"), neither
  // crossed out nor labelled: shops show the old price first, then the lower one it sells for.
  const unmarkedOld = (i: number, checked: Checked): boolean =>
    oldBeforeLower(i, checked) || discountedBefore(i, checked) || beforeSaving(i, checked);
  const oldBeforeLower = (i: number, checked: Checked): boolean => {
    const candidate = prices[i] as PriceCandidate;
    if (!checked.currency) return false;
    for (let j = i + 1; j < prices.length; j++) {
      const next = prices[j] as PriceCandidate;
      if (next.order - candidate.order > UNMARKED_SPAN) return false;
      const found = check(j);
      if (!found || found.amount === checked.amount) continue;
      const old = Number(checked.amount);
      const now = Number(found.amount);
      if (next.struck !== 0 || !found.currency || !markedDown(old, now)) return false;
      const later = kindOf(j, found);
      if (!later.usable || later.kind !== null) return false;
      const block = sharedBlock(candidate.element, next.element);
      if (!block || taxMarked(candidate.element, block) || taxMarked(next.element, block)) return false;
      // The discount beside the pair ("34% OFF", "-34%") is part of the pair's box.
      const rest = textOf(block, 200)
        .replace(candidate.text, '')
        .replace(next.text, '')
        .replace(PERCENT_OFF, '');
      return (rest.match(/[\p{L}\p{N}]/gu)?.length ?? 0) <= 3;
    }
    return false;
  };
  // The lower price first and the old one after it ("$34.990 $42.990 -19%", the old one struck
  // by a stylesheet): the discount shown beside the pair is what the lower one saves on it.
  const discountedBefore = (i: number, checked: Checked): boolean => {
    const candidate = prices[i] as PriceCandidate;
    for (let j = i - 1; j >= 0; j--) {
      const before = prices[j] as PriceCandidate;
      if (candidate.order - before.order > UNMARKED_SPAN) return false;
      const found = check(j);
      if (!found || found.amount === checked.amount) continue;
      const old = Number(checked.amount);
      const now = Number(found.amount);
      if (!markedDown(old, now)) return false;
      const block = sharedBlock(candidate.element, before.element);
      if (!block || taxMarked(candidate.element, block) || taxMarked(before.element, block)) return false;
      const saved = 100 * (1 - now / old);
      for (const percent of textOf(block, 300).matchAll(PERCENT_OFF))
        if (Math.abs(Number(/\d{1,2}/.exec(percent[0])?.[0]) - saved) <= 1.5) return true;
      return false;
    }
    return false;
  };
  // The price before a saving, the saving and what is left ("Online Price $999.99 · Less:
  // -$150.00 · Your Price $849.99", or the saving after both): the sum says which one is paid.
  const beforeSaving = (i: number, checked: Checked): boolean => {
    const candidate = prices[i] as PriceCandidate;
    const old = Number(checked.amount);
    const near: number[] = [];
    const deducted: number[] = [];
    for (let j = i + 1; j < prices.length; j++) {
      const next = prices[j] as PriceCandidate;
      if (next.order - candidate.order > SAVING_SPAN) break;
      const found = check(j);
      if (found && found.amount !== checked.amount) near.push(Number(found.amount));
      else if (!found && DEDUCTION.test(next.text)) {
        const amount = Number(parsePrice(next.text.replace(DEDUCTION_SIGN, '')).amount);
        if (amount > 0) deducted.push(amount);
      }
    }
    for (const now of near) {
      if (!markedDown(old, now)) continue;
      if (deducted.some((amount) => Math.abs(old - amount - now) < 0.005)) return true;
    }
    return false;
  };
  // Crossed out, labelled a list price, or marked old with another price beside it.
  const rejected = (i: number, checked: Checked, kind: PriceKind | null): boolean => {
    const candidate = prices[i] as PriceCandidate;
    if (candidate.struck === 2) return true;
    if (candidate.struck === 0 && kind === null) return unmarkedOld(i, checked);
    if (candidate.struck === 0 && kind !== 'reference') return false;
    for (const step of [-1, 1])
      for (let j = i + step; j >= 0 && j < prices.length; j += step) {
        const other = prices[j] as PriceCandidate;
        if (Math.abs(other.order - candidate.order) > REFERENCE_SPAN) break;
        const found = check(j);
        if (!found || found.amount === checked.amount || other.struck === 2) continue;
        // Marked "regular" beside a member, card, unit or instalment price only: it is what
        // everyone pays ("Member price $101.15 · $119.00").
        if (candidate.struck === 1 && kind !== 'reference') {
          const near = kindOf(j, found);
          if (!near.usable || (near.kind !== null && near.kind !== 'from' && near.kind !== 'net')) continue;
        }
        return true;
      }
    return false;
  };
  // The best score each candidate could reach, from what is known without parsing it.
  const bounds = prices.map((candidate, i) => {
    let bound = (candidate.priceClass ? 3 : 0) + 2 + (candidate.current ? 1 : 0);
    if (candidate.slider) bound -= 1;
    if (candidate.unitClass) bound -= KIND_PENALTY.unit;
    if (w.h1 !== undefined) {
      const d = candidate.order - w.h1;
      bound -= d >= 0 ? Math.log2(1 + d) / 3 : 2 + Math.log2(1 - d) / 2;
    }
    // Near the buy button (a price block is a few elements) distance to it says nothing; further
    // away it counts.
    if (anchor !== undefined) bound -= Math.max(0, Math.log2(1 + Math.abs(candidate.order - anchor)) - 4) / 4;
    return { i, bound };
  });
  bounds.sort((a, b) => b.bound - a.bound || a.i - b.i);
  let best: { i: number; score: number; kind: PriceKind | null } | undefined;
  const scored: ScoredPrice[] = [];
  const refuse = (i: number, bound: number, why: string | undefined): void => {
    if (explain)
      scored.push({ candidate: prices[i] as PriceCandidate, score: bound, kind: null, refused: why });
  };
  for (const { i, bound } of bounds) {
    // Explaining, look a little further than needed, to show what lost and why.
    if (best && bound < best.score - NEAR_TIE && !(explain && bound > best.score - 4 && scored.length < 12))
      break;
    const checked = check(i);
    if (!checked) {
      refuse(i, bound, reasons?.[i]);
      continue;
    }
    const plain = checked.currency ? bound : bound - 2;
    if (best && plain < best.score - NEAR_TIE && !explain) continue;
    const { kind, usable } = kindOf(i, checked);
    if (!usable) {
      refuse(i, bound, reasons?.[i]);
      continue;
    }
    if (rejected(i, checked, kind)) {
      refuse(i, bound, (prices[i] as PriceCandidate).struck === 2 ? 'crossed out' : 'a list or old price');
      continue;
    }
    // The unit-price class already cost its bound a unit price's penalty.
    const penalty = kind ? KIND_PENALTY[kind] : 0;
    const score =
      plain - ((prices[i] as PriceCandidate).unitClass ? Math.max(0, penalty - KIND_PENALTY.unit) : penalty);
    if (explain) scored.push({ candidate: prices[i] as PriceCandidate, score, kind });
    // Within a hair of each other, the price shown first is the shop's headline price.
    if (!best || score > best.score + NEAR_TIE || (score > best.score - NEAR_TIE && i < best.i))
      best = { i, score, kind };
  }
  if (!best) return undefined;
  const chosen = prices[best.i] as PriceCandidate;
  const references: string[] = [];
  for (let j = 0; j < prices.length; j++) {
    const other = prices[j] as PriceCandidate;
    if (Math.abs(other.order - chosen.order) > REFERENCE_SPAN) continue;
    const checked = check(j);
    if (!checked) {
      // A bare number crossed out beside the price ("statt <s>1'199.–</s>", the currency only
      // by the price itself) is no price to choose, but it is the old one all the same.
      const amount = other.struck === 2 ? bareAmount(other.text) : undefined;
      if (amount !== undefined) references.push(amount);
      continue;
    }
    // Only what is crossed out or labelled a list price is a reference; working out the label costs a look around.
    const kind = other.struck === 2 ? null : kindOf(j, checked).kind;
    if (rejected(j, checked, kind)) references.push(checked.amount);
  }
  const chosenScored = { candidate: chosen, score: best.score, kind: best.kind };
  return {
    price: chosen.text,
    confidence: chosen.unitClass ? 0.35 : w.h1 !== undefined ? 0.55 : 0.45,
    order: chosen.order,
    references,
    others: distinctOthers(scored, chosen),
    chosen: chosenScored,
  };
}

/** One piece of evidence about stock, and how much it weighs before its distance to the buy box. */
interface StockEvidence {
  value: string;
  order: number;
  weight: number;
  what: string;
}

const STOCK_WEIGHT: Record<StockKind, number> = { class: 3, line: 2.5, badge: 1 };

/** Whether the buy box holds stock wording in an element of its own (a class or a plain line). */
function plainStock(w: Walked): boolean {
  const h1 = w.h1 ?? 0;
  // Only wording that says something: a stock cell's label ("Stok Durumu") beside its value is none.
  return w.stock.some(
    (s) =>
      s.kind !== 'badge' &&
      Math.abs(s.order - h1) < STOCK_REACH &&
      (s.value ?? normaliseAvailability(s.text)) !== 'Unknown',
  );
}

/**
 * Availability from the buy box: stock wording (in an element named for stock, a plain line, a
 * badge, a labelled value), the add-to-cart control (enabled, disabled, or reading "Sold out")
 * and "notify me" controls. Each counts by its kind and its distance to the nearest of the
 * heading, the main price and the main add-to-cart control, so the buy box's own wording beats
 * that of other sellers, other sizes or recommendations further away.
 */
function pickAvailability(
  w: Walked,
  priceOrder: number | undefined,
  labelled: { value: string; text: string; order: number } | undefined,
): { value: string; confidence: number; evidence: StockEvidence[] } | undefined {
  const h1 = w.h1 ?? 0;
  const button = mainButton(w);
  const anchors = [h1];
  if (priceOrder !== undefined) anchors.push(priceOrder);
  if (button) anchors.push(button.order);
  const distance = (order: number): number => Math.min(...anchors.map((a) => Math.abs(order - a)));
  const evidence: StockEvidence[] = [];
  for (const s of w.stock) {
    if (Math.abs(s.order - h1) >= STOCK_REACH) continue;
    const value = s.value ?? normaliseAvailability(s.text);
    if (value !== 'Unknown')
      evidence.push({
        value,
        order: s.order,
        weight: STOCK_WEIGHT[s.kind],
        what: `${s.kind} "${s.text.slice(0, 40)}"`,
      });
  }
  if (labelled)
    evidence.push({
      value: labelled.value,
      order: labelled.order,
      weight: 3.5,
      what: `labelled "${labelled.text.slice(0, 40)}"`,
    });
  // Every variant disabled near the heading: an enabled buy button has nothing left to buy.
  const noneToChoose = w.variants.some(
    (g) => g.disabled === g.options && Math.abs(g.order - h1) < STOCK_REACH,
  );
  if (button && !(noneToChoose && !button.disabled && !button.soldOut)) {
    if (button.soldOut)
      evidence.push({
        value: 'OutOfStock',
        order: button.order,
        weight: 3.5,
        what: 'buy button reads sold out',
      });
    else if (button.disabled) {
      if (w.picker === undefined || Math.abs(w.picker - h1) >= STOCK_REACH)
        evidence.push({ value: 'OutOfStock', order: button.order, weight: 1.5, what: 'buy button disabled' });
    } else evidence.push({ value: 'InStock', order: button.order, weight: 1.5, what: 'buy button enabled' });
  }
  for (const g of w.variants) {
    if (Math.abs(g.order - h1) >= STOCK_REACH) continue;
    // Every size disabled: none can be bought. Some enabled beside disabled ones: those can.
    if (g.disabled === g.options)
      evidence.push({
        value: 'OutOfStock',
        order: g.order,
        weight: 2.5,
        what: `all ${g.options} variants disabled`,
      });
    else if (g.chosenDisabled)
      evidence.push({
        value: 'OutOfStock',
        order: g.order,
        weight: 2,
        what: 'the chosen variant is disabled',
      });
    else if (g.disabled > 0)
      evidence.push({
        value: 'InStock',
        order: g.order,
        weight: 1.5,
        what: `${g.options - g.disabled} of ${g.options} variants enabled`,
      });
  }
  for (const order of w.notify)
    if (Math.abs(order - h1) < STOCK_REACH)
      evidence.push({ value: 'OutOfStock', order, weight: 2.5, what: 'notify-me control' });
  if (evidence.length === 0) return undefined;
  const score = (e: StockEvidence): number => e.weight - Math.log2(1 + distance(e.order)) / 3;
  evidence.sort((a, b) => score(b) - score(a) || a.order - b.order);
  const best = evidence[0] as StockEvidence;
  // Two kinds of evidence in the buy box agreeing (a notice and a disabled or missing buy
  // control, a labelled value and the notice) say more than either alone.
  const agreeing = evidence.filter((e) => e.value === best.value && score(e) > 0.5 && e.what !== best.what);
  const against = evidence.some((e) => e.value !== best.value && score(e) > score(best) - 1);
  const enabledBuy = button !== undefined && !button.disabled && !button.soldOut;
  let confidence = best.weight >= 2.5 ? 0.45 : best.weight >= 2 ? 0.4 : 0.35;
  if (agreeing.length > 0 && !against) confidence = 0.55;
  // A sold-out notice in the buy box with no enabled way to buy: what the shopper sees outranks
  // structured data, which shops often leave "InStock" (cached, or the first variant's).
  if (best.value === 'OutOfStock' && agreeing.length > 0 && !against && !enabledBuy && score(best) > 1.5)
    confidence = 0.92;
  return { value: best.value, confidence, evidence: evidence.slice(0, 5) };
}

/** The product id in the URL: a `sku`/`pid`/`id` query value, a code after /dp/, /itm/ …, else the last number of the path. */
export function urlIdentifier(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  for (const [key, value] of parsed.searchParams) {
    if (
      /^(?:sku|pid|product_?id|productid|item_?id|itemid|art|artnr|articleid|prod(?:uct)?|asin)$/i.test(
        key,
      ) &&
      /^[\w-]{4,40}$/.test(value) &&
      (/\d/.test(value) || /^[A-Z0-9]{8,}$/.test(value))
    )
      return value;
  }
  const segments = decodeURIComponent(parsed.pathname)
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/\.(?:html?|php|aspx?|jsp)$/i, ''));
  // Marketplaces put the item's code after a fixed segment: /dp/B0BTYCRJSS, /itm/302474151804.
  for (let i = 1; i < segments.length; i++) {
    const code = segments[i] as string;
    if (
      /^(?:dp|product|item|itm|sku|p|pd|prod|artikel|article|ip|produkt|produit|producto|gp)$/i.test(
        segments[i - 1] as string,
      ) &&
      /^[A-Z0-9][A-Z0-9-]{5,19}$/.test(code) &&
      /\d/.test(code) &&
      /[A-Z]|^\d+$/.test(code)
    )
      return code;
  }
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

/** What the heuristics saw on a page besides its fields: used by the merge and by explanations. */
export interface HeuristicNotes {
  /** Amounts shown crossed out or as the regular price beside the price heuristics chose. */
  references: string[];
  /** Per field, why the value was taken and what else was considered (only when explaining). */
  why: Partial<Record<'price' | 'availability' | 'sku' | 'gtin', string[]>>;
}

// Kept on the page object itself: a WeakMap's entries survive V8's young-generation collections
// and would keep every page's tree alive until a full collection (see dom.ts).
const NOTES = Symbol('heuristicNotes');
type NotedPage = ExtractorPage & { [NOTES]?: HeuristicNotes; explain?: boolean };

/** What `extractHeuristics` noted on the page, once it ran. */
export function heuristicNotes(page: ExtractorPage): HeuristicNotes | undefined {
  return (page as NotedPage)[NOTES];
}

/**
 * Amounts the page shows crossed out or as the regular price beside the price heuristics chose
 * (after `extractHeuristics` ran on the page): a structured price equal to one is stale.
 */
export function referencePrices(page: ExtractorPage): string[] {
  return heuristicNotes(page)?.references ?? [];
}

function describePrice(p: ScoredPrice, w: Walked): string {
  const c = p.candidate;
  if (p.refused) return `"${c.text}" is ${p.refused}`;
  const parts = [`"${c.text}" score ${p.score.toFixed(2)}`];
  if (w.h1 !== undefined) parts.push(`${c.order - w.h1} elements after the heading`);
  if (c.priceClass) parts.push('price markup');
  if (c.current) parts.push('marked current');
  if (c.struck === 1) parts.push('marked old');
  if (c.slider) parts.push('in a slider');
  if (p.kind) parts.push(`${p.kind} price`);
  return parts.join(', ');
}

/** Fields from the page's visible layout and wording. */
export function extractHeuristics(page: ExtractorPage): ScoredFields | null {
  const explain = (page as NotedPage).explain === true;
  const index = indexPage(page.document);
  const w = walkPage(index.root, index.h1);
  const heading = index.h1 ? cleanText(textOf(index.h1, 2000), 1000) : undefined;
  const body = w.body;
  const headingAt = heading ? Math.max(0, body.indexOf(heading.slice(0, 60))) : 0;
  const notes: HeuristicNotes = { references: [], why: {} };
  (page as NotedPage)[NOTES] = notes;

  const fields: Fields = {};
  const confidence: Partial<Record<keyof Fields, number>> = {};
  if (heading) fields.title = heading;
  const price = pickPrice(w, explain, placeOf(page.url, heading, w.headingBlock));
  if (price) {
    fields.price = price.price;
    confidence.price = price.confidence;
    notes.references = price.references;
    if (explain)
      notes.why.price = [
        `chose ${describePrice(price.chosen, w)}`,
        ...price.others.map((o) =>
          o.refused ? `not ${describePrice(o, w)}` : `over ${describePrice(o, w)}`,
        ),
        ...(price.references.length > 0
          ? [`reference prices beside it: ${price.references.join(', ')}`]
          : []),
      ];
  }
  // The label readers read the same windows of the text (the one around the heading two or three
  // times), in lower case: each window is lower-cased once (page text is two-byte, as BLOCK is,
  // and two-byte lower-casing goes through ICU).
  const lowerCase = new Map<string, string>();
  const lower = (text: string): string => {
    let found = lowerCase.get(text);
    if (found === undefined) {
      found = lowered(text);
      lowerCase.set(text, found);
    }
    return found;
  };
  // Labels are looked for around the heading: a code far from it is not the product's anyway.
  const labels = nearHeading(body, headingAt, (text, at) => {
    const found = readIdentifiers(text, at, lower(text));
    return found.sku || found.gtin ? found : undefined;
  }) ?? { sku: undefined, gtin: undefined };
  // A labelled availability ("Availability: In stock") is looked for only where the buy box says
  // nothing plainer: reading the page text for it costs more than the rest of the availability.
  const closeFrom = Math.max(0, headingAt - CLOSE_BEFORE);
  const closeText = plainStock(w) ? undefined : body.slice(closeFrom, headingAt + CLOSE_AFTER);
  const found =
    closeText === undefined ? undefined : readStockLabel(closeText, headingAt - closeFrom, lower(closeText));
  const stock = found && { ...found, at: found.at - (headingAt - closeFrom) };
  // Where the label sits, in elements: text offsets from the heading, at about 25 characters an element.
  const stockLabel = stock && { ...stock, order: (w.h1 ?? 0) + Math.round(stock.at / 25) };
  const availability = pickAvailability(w, price?.order, stockLabel);
  if (availability) {
    fields.availability = availability.value;
    confidence.availability = availability.confidence;
    if (explain)
      notes.why.availability = availability.evidence.map(
        (e) => `${e.value} from ${e.what} (weight ${e.weight}, element ${e.order})`,
      );
  }
  const hinted = w.codes.toSorted(
    (a, b) => Math.abs(a.order - (w.h1 ?? 0)) - Math.abs(b.order - (w.h1 ?? 0)),
  )[0];
  // The item id in the page's URL, else in its canonical URL (a page reached by a search or
  // tracking URL still names its listing there: "/product/…/100483922.html").
  let idUrl = page.url;
  let fromUrl = urlIdentifier(page.url);
  if (fromUrl === undefined) {
    const canonical = extractCanonical(page)?.canonicalUrl;
    const id = canonical ? urlIdentifier(canonical) : undefined;
    if (canonical && id) {
      idUrl = canonical;
      fromUrl = id;
    }
  }
  const inUrl = fromUrl !== undefined && urlTokens(idUrl).includes(compactCode(fromUrl));
  if (labels.sku) {
    fields.sku = labels.sku;
    confidence.sku = 0.92;
    if (explain) notes.why.sku = [`labelled "${labels.sku}" near the heading`];
  } else if (hinted) {
    fields.sku = hinted.text;
    confidence.sku = 0.86;
    if (explain) notes.why.sku = [`"${hinted.text}" in an element named for an identifier`];
  } else if (fromUrl && inUrl) {
    // A code after /dp/, /itm/ … is the marketplace's item id; a bare number less surely the product's.
    const marked = !/^\d+$/.test(fromUrl) || /\/(?:dp|itm|ip)\//i.test(idUrl);
    // The page's own code that the URL's id is part of ("Part No: ASD-BP-44871", "/…-44871"): whole.
    const model = nearHeading(body, headingAt, (text, at) => readModel(text, at, lower(text)));
    const whole =
      model && fromUrl.length >= 4 && compactCode(model).includes(compactCode(fromUrl)) ? model : undefined;
    fields.sku = whole ?? fromUrl;
    confidence.sku = marked || whole ? 0.5 : 0.3;
    if (explain)
      notes.why.sku = [
        `"${fromUrl}" from the ${idUrl === page.url ? 'page' : 'canonical'} URL${whole ? `, as the page writes it whole ("${whole}")` : ''}`,
      ];
  } else {
    const model = nearHeading(body, headingAt, (text, at) => readModel(text, at, lower(text)));
    if (model) {
      fields.sku = model;
      confidence.sku = 0.3;
      fields.attributes = { model };
      if (explain) notes.why.sku = [`only a model number, "${model}"`];
    }
  }
  if (labels.gtin) fields.gtin = labels.gtin;
  const path = breadcrumb(w, page, heading);
  if (path.length > 0) fields.categoryPath = path;
  return scoreFields(fields, 0.35, { ...confidence, title: 0.4, gtin: 0.6, categoryPath: 0.4 });
}
