import type { AvailabilityValue } from '../../core/product.ts';
import { execAtWordStart } from './word-start.ts';

// schema.org ItemAvailability names, lower-cased, plus the Google/Facebook feed spellings.
const SCHEMA_NAMES: Record<string, AvailabilityValue> = {
  instock: 'InStock',
  instoreonly: 'InStock',
  onlineonly: 'InStock',
  limitedavailability: 'InStock',
  outofstock: 'OutOfStock',
  soldout: 'OutOfStock',
  reserved: 'OutOfStock',
  preorder: 'PreOrder',
  presale: 'PreOrder',
  backorder: 'BackOrder',
  madetoorder: 'BackOrder',
  availablefororder: 'BackOrder',
  discontinued: 'Discontinued',
};

/**
 * Phrases per value, checked in this order: low stock said with a sold-out word, then
 * negations and "sold out" before the positive
 * phrases they contain ("nicht verfügbar" contains "verfügbar", "unavailable" "available"),
 * and pre-order / back-order before plain "available".
 */
const PHRASES: [AvailabilityValue, string[]][] = [
  // Low stock said with a sold-out word in it ("품절임박": sold out soon): in stock, first of all.
  [
    'InStock',
    [
      'almost sold out',
      'nearly sold out',
      'fast ausverkauft',
      'bald ausverkauft',
      'presque épuisé',
      'bientôt épuisé',
      'casi agotado',
      'quasi esaurito',
      'bijna uitverkocht',
      'prawie wyprzedane',
      'quase esgotado',
      'nästan slutsåld',
      'почти распродан',
      '품절임박',
      '품절 임박',
      '売り切れ間近',
      '即将售罄',
      '即將售罄',
      'sắp hết hàng',
      'tükenmek üzere',
    ],
  ],
  [
    'Discontinued',
    [
      'discontinued',
      'no longer available',
      'no longer sold',
      'nicht mehr lieferbar',
      'nicht mehr erhältlich',
      'nicht mehr verfügbar',
      'ausgelaufen',
      "n'est plus disponible",
      'plus disponible',
      'descatalogado',
      'ya no está disponible',
      'fuori produzione',
      'non più disponibile',
      'uit assortiment',
      'niet meer leverbaar',
      'wycofany',
      'wycofany ze sprzedaży',
      'fora de linha',
      'descontinuado',
      'utgått',
      '販売終了',
      '生産終了',
      '停产',
      '已下架',
      'ngừng kinh doanh',
      'ngừng bán',
    ],
  ],
  [
    'OutOfStock',
    [
      'not in stock',
      // "No longer in stock": PrestaShop's own notice, in its languages, and shops' own.
      'no longer in stock',
      "n'est plus en stock",
      'plus en stock',
      'nicht mehr auf lager',
      'nicht mehr vorrätig',
      'niet meer op voorraad',
      'inte längre i lager',
      'ikke længere på lager',
      'ikke lenger på lager',
      'non più in magazzino',
      'ya no hay stock',
      'já não está em stock',
      'não está mais em estoque',
      'już niedostępny',
      // An auction or a listing that has ended.
      'bidding has ended',
      'listing has ended',
      'this listing has ended',
      'auction has ended',
      'auction ended',
      'auction closed',
      'bidding closed',
      'bidding has closed',
      'lot closed',
      'angebot beendet',
      'auktion beendet',
      'enchère terminée',
      'asta terminata',
      'subasta finalizada',
      'leilão encerrado',
      'veiling gesloten',
      'aukcja zakończona',
      'オークションは終了',
      '出品終了',
      'slutsålt',
      'slutsålda',
      // A classified ad reserved for a buyer (not the copyright notices' words: "droits
      // réservés", "derechos reservados" are left out).
      'gereserveerd',
      'reserviert',
      'riservato',
      'zarezerwowane',
      'zarezerwowany',
      'rezervováno',
      'rezervované',
      'reserverad',
      'reservert',
      'not enough products in stock',
      'not enough stock',
      'no hay suficientes productos en stock',
      'pas assez de produits en stock',
      'nicht genügend produkte auf lager',
      'non ci sono abbastanza prodotti',
      'niet genoeg producten op voorraad',
      'produtos suficientes em stock',
      // PrestaShop's notice for a combination that cannot be bought (others can).
      'available with different options',
      "disponible avec d'autres options",
      'disponible con otras opciones',
      'disponibile con altre opzioni',
      'mit anderen optionen verfügbar',
      'beschikbaar met andere opties',
      'disponível com outras opções',
      'out of stock',
      'out-of-stock',
      'sold out',
      'soldout',
      'unavailable',
      'not available',
      'no stock',
      'currently unavailable',
      'back in stock',
      'call to check stock',
      'call for availability',
      'out of stock online',
      'not available online',
      'wieder vorrätig',
      'wieder auf lager',
      'wieder lieferbar',
      'de retour en stock',
      'vuelva a estar disponible',
      'nicht auf lager',
      'nicht verfügbar',
      'nicht vorrätig',
      'nicht lieferbar',
      'ausverkauft',
      'vergriffen',
      'derzeit nicht',
      'rupture de stock',
      'épuisé',
      'epuise',
      'indisponible',
      'non disponible',
      'hors stock',
      'agotado',
      'agotada',
      'sin stock',
      'sin existencias',
      'no disponible',
      'esaurito',
      'esaurita',
      'non disponibile',
      'non disponibili',
      'uitverkocht',
      'niet op voorraad',
      'niet leverbaar',
      'niet beschikbaar',
      'niedostępny',
      'niedostępna',
      'brak w magazynie',
      'brak towaru',
      'wyprzedany',
      'wyprzedane',
      'esgotado',
      'esgotada',
      'indisponível',
      'sem estoque',
      'fora de estoque',
      'slutsåld',
      'slut i lager',
      'ej i lager',
      'inte i lager',
      'tillfälligt slut',
      'slut',
      'udsolgt',
      'utsolgt',
      'ikke på lager',
      'ei varastossa',
      'loppuunmyyty',
      'loppu varastosta',
      'vyprodáno',
      'není skladem',
      'nie je skladom',
      'elfogyott',
      'nincs raktáron',
      'nincs készleten',
      'nincs készlet',
      'készlethiány',
      'stoc epuizat',
      'indisponibil',
      'tükendi',
      'stokta yok',
      'stok yok',
      'tidak tersedia',
      'stok habis',
      'stok kosong',
      'barang habis',
      'habis terjual',
      'sudah habis',
      'kehabisan stok',
      'hết hàng',
      'tạm hết',
      'satışta değil',
      'nedostupné',
      'nedostupný',
      'หมดชั่วคราว',
      'εξαντλήθηκε',
      'μη διαθέσιμο',
      '품절',
      '일시품절',
      '재고 없음',
      'สินค้าหมด',
      'غير متوفر',
      'نفدت الكمية',
      'אזל מהמלאי',
      'нет в наличии',
      'закончился',
      'немає в наявності',
      '在庫切れ',
      '在庫なし',
      '売り切れ',
      '品切れ',
      '完売',
      '缺货',
      '无货',
      '售罄',
      '已售完',
      '售完',
      '賣完',
      '卖完',
      '補貨中',
      '补货中',
      '無貨',
      '缺貨',
    ],
  ],
  [
    'PreOrder',
    [
      'pre-order',
      'preorder',
      'pre order',
      'presale',
      'pre-sale',
      'coming soon',
      'vorbestellen',
      'vorbestellung',
      'vorbestellbar',
      'précommande',
      'pré-commande',
      'precommande',
      'preventa',
      'pre-venta',
      'reserva',
      'preordine',
      'prenotazione',
      'prenota',
      'voorbestellen',
      'voorverkoop',
      'przedsprzedaż',
      'pré-venda',
      'pré-encomenda',
      'förbeställ',
      'förhandsbeställ',
      'предзаказ',
      '予約',
      '预售',
      '预订',
      '預購',
    ],
  ],
  [
    'BackOrder',
    [
      'backorder',
      'back order',
      'back-order',
      'backordered',
      'available for order',
      'special order',
      'nachbestellt',
      'in nachbestellung',
      'bestellbar',
      'auf bestellung',
      'sur commande',
      'en réapprovisionnement',
      'bajo pedido',
      'por encargo',
      'su ordinazione',
      'su richiesta',
      'op bestelling',
      'na zamówienie',
      'sob encomenda',
      'beställningsvara',
      'под заказ',
      'お取り寄せ',
      '取り寄せ',
      '订货',
      '訂貨',
    ],
  ],
  [
    'InStock',
    [
      'in stock',
      'instock',
      'in-stock',
      'available',
      'only a few left',
      'few left',
      'low stock',
      'limited stock',
      'left in stock',
      'ready to ship',
      'auf lager',
      'lieferbar',
      'verfügbar',
      'vorrätig',
      'sofort lieferbar',
      'en stock',
      'disponible',
      'en existencia',
      'disponibile',
      'in magazzino',
      'op voorraad',
      'leverbaar',
      'beschikbaar',
      'dostępny',
      'dostępna',
      'dostępne',
      'w magazynie',
      'na stanie',
      'em estoque',
      'disponível',
      'i lager',
      'finns i lager',
      'в наличии',
      'є в наявності',
      '在庫あり',
      '在庫有り',
      '有货',
      '现货',
      '有現貨',
      '有貨',
      'på lager',
      'varastossa',
      'skladem',
      'na skladě',
      'raktáron',
      'készleten',
      'în stoc',
      'stokta',
      'stokta var',
      'còn hàng',
      'chỉ còn',
      'tersedia',
      'stok tersedia',
      'ready stock',
      'tersisa',
      'tükenmek üzere',
      'พร้อมส่ง',
      'σε απόθεμα',
      '재고 있음',
      'มีสินค้า',
      'متوفر',
      'במלאי',
    ],
  ],
];

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Phrases of words (Latin, Cyrillic) must stand as whole words; phrases in scripts written
// without spaces (Japanese, Chinese) match anywhere. Each kind gets its own pattern, so the word
// start can be checked outside the pattern (see word-start.ts).
const isWordPhrase = (phrase: string) => /^[\p{Script=Latin}\p{Script=Cyrillic}\s'-]+$/u.test(phrase);
const phraseBody = (phrase: string) => escapeRegex(phrase).replace(/[ -]/g, '[\\s_-]*');

function phraseRegex(phrases: string[], words: boolean): RegExp | null {
  const chosen = phrases.filter((phrase) => isWordPhrase(phrase) === words);
  if (chosen.length === 0) return null;
  const parts = chosen.map((phrase) => (words ? `${phraseBody(phrase)}(?![\\p{L}])` : phraseBody(phrase)));
  return new RegExp(parts.join('|'), words ? 'giu' : 'iu');
}

const MATCHERS: { value: AvailabilityValue; words: RegExp | null; other: RegExp | null }[] = PHRASES.map(
  ([value, phrases]) => ({ value, words: phraseRegex(phrases, true), other: phraseRegex(phrases, false) }),
);

/** The plain in-stock phrases (the low-stock ones come first of all). */
const PLAIN_IN_STOCK = MATCHERS.findLast((m) => m.value === 'InStock');

/** Phrases by their characters (a space or hyphen being `[\s_-]*`, as in phraseBody). */
interface PhraseTrie {
  next: Map<string, PhraseTrie>;
  /** A phrase ends here. */
  end: boolean;
}

/**
 * A pattern source matching where a phrase of `trie` starts, each shared beginning written once.
 * Where a phrase ends the pattern ends: text matching a longer phrase matches the shorter one,
 * and whether the phrase ends a word is left to the matchers.
 */
function trieSource(trie: PhraseTrie): string {
  const parts = [...trie.next].map(([atom, node]) => (node.end ? atom : atom + trieSource(node)));
  return parts.length === 1 ? (parts[0] as string) : `(?:${parts.join('|')})`;
}

function phraseTrie(phrases: string[]): PhraseTrie {
  const root: PhraseTrie = { next: new Map(), end: false };
  for (const phrase of phrases) {
    let node = root;
    for (const c of phrase) {
      const atom = c === ' ' || c === '-' ? '[\\s_-]*' : escapeRegex(c);
      let child = node.next.get(atom);
      if (!child) {
        child = { next: new Map(), end: false };
        node.next.set(atom, child);
      }
      node = child;
    }
    node.end = true;
  }
  return root;
}

/**
 * Whether text may hold a value's phrase, in one search: text it does not match holds no stock
 * wording (most texts hold none), told without one or two searches per value. It lets through
 * more than the matchers take (word ends are not checked), never less. The phrases are written
 * as tries: with one alternative per phrase, each position of the text was tried against all of
 * them; this way only against those that start with the character found there. Word phrases
 * must start a word (the lookbehind word-start.ts avoids costs little on one search).
 */
function anyPhrase(): RegExp {
  const all = PHRASES.flatMap(([, phrases]) => phrases);
  if (all.includes('')) return /(?:)/u;
  const words = all.filter((p) => isWordPhrase(p));
  const other = all.filter((p) => !isWordPhrase(p));
  const parts = [
    ...(words.length > 0 ? [`(?<![\\p{L}])${trieSource(phraseTrie(words))}`] : []),
    ...(other.length > 0 ? [trieSource(phraseTrie(other))] : []),
  ];
  return new RegExp(parts.join('|') || '(?!)', 'iu');
}

const ANY_PHRASE = anyPhrase();

/**
 * Stock given as a count ("Only 3 left", "0 in stock", "nur noch 2 Stück", "残り3点", "仅剩2件",
 * "เหลือ 5 ชิ้น", "осталось 4 шт."): in stock when the count is above zero, out of stock at zero.
 * The fixed phrases miss a count between their words, and read "0 in stock" as in stock. A count
 * must sit against stock words or a unit ("nur noch 3 Tage", "quedan 3 días", "剩余3天" are sales
 * ending, not stock), so prices, ratings and countdowns are not counts.
 */
const N = String.raw`(\d{1,3}(?:[.,\s]\d{3})+|\d{1,6})`;
const UNITS = String.raw`(?:items?|units?|pcs\.?|pieces?|stück|stk\.?|unidades|uds\.?|unités|exemplaires?|articles?|artículos|pezzi|stuks|sztuk|szt\.?|itens|шт\.?|штук[аи]?|товар(?:а|ов)?|adet|ks|kpl|buah|barang)`;
const UNIT = String.raw`(?:\s*${UNITS})?`;
const WITH_UNIT = String.raw`\s*${UNITS}`;
/** Sources of words (Latin, Cyrillic): each must start a word. */
const WORD_COUNTS = [
  String.raw`only\s+${N}${UNIT}\s+(?:left|remaining|available)`,
  String.raw`${N}${UNIT}\s+(?:left|remaining)(?:\s+in\s+stock)?(?![\p{L}])`,
  String.raw`${N}${UNIT}\s+(?:in\s+stock|available)(?![\p{L}])`,
  String.raw`(?:nur\s+)?noch\s+${N}(?:${WITH_UNIT}|${UNIT}\s+(?:auf\s+lager|verfügbar|vorrätig|lieferbar|vorhanden))(?![\p{L}])`,
  String.raw`${N}${UNIT}\s+(?:auf\s+lager|verfügbar|vorrätig|sofort\s+lieferbar)`,
  String.raw`(?:plus\s+que|il\s+(?:ne\s+)?reste(?:\s+plus)?(?:\s+que)?)\s+${N}(?:${WITH_UNIT}|${UNIT}\s+(?:en\s+stock|disponibles?))`,
  String.raw`${N}${UNIT}\s+en\s+stock`,
  String.raw`(?:s[oó]lo\s+)?queda(?:n)?\s+${N}(?:${WITH_UNIT}|${UNIT}\s+(?:en\s+stock|disponibles?))`,
  String.raw`${N}${UNIT}\s+disponibles?(?![\p{L}])`,
  String.raw`(?:solo|ancora|rimangono|rimasti)\s+${N}${UNIT}\s+(?:disponibili|rimasti|in\s+magazzino)`,
  String.raw`${N}${UNIT}\s+(?:disponibili|in\s+magazzino)`,
  String.raw`nog\s+${N}${UNIT}\s+(?:op\s+voorraad|beschikbaar|over)`,
  String.raw`${N}${UNIT}\s+op\s+voorraad`,
  String.raw`(?:zostało|pozostało|zostały|pozostały)\s+(?:tylko\s+)?${N}(?:${WITH_UNIT}|${UNIT}\s+w\s+magazynie)`,
  String.raw`(?:restam|resta)\s+(?:apenas\s+)?${N}(?:${WITH_UNIT}|${UNIT}\s+em\s+estoque)`,
  String.raw`${N}${UNIT}\s+(?:em\s+estoque|dispon[ií]ve(?:l|is))`,
  String.raw`${N}${UNIT}\s+(?:i|på)\s+lager`,
  String.raw`(?:осталось|осталась|остался|залишилось)\s+(?:всего\s+)?${N}(?:${WITH_UNIT}|${UNIT}\s+в\s+наличии)`,
  String.raw`${N}${UNIT}\s+в\s+наличии`,
  String.raw`в\s+наличии[:\s]+${N}${UNIT}(?![\p{L}\d])`,
  String.raw`(?:son\s+)?${N}${UNIT}\s+(?:ürün\s+)?kaldı`,
  String.raw`stokta\s+${N}`,
  String.raw`(?:sisa|tersisa)\s+${N}${WITH_UNIT}`,
  String.raw`stok\s*:?\s+${N}(?![\d\p{L}])`,
  String.raw`còn(?:\s+lại)?\s+${N}\s*(?:sản\s+phẩm|cái|chiếc)`,
];
/** Sources in scripts written without spaces: they match anywhere. */
const OTHER_COUNTS = [
  String.raw`残り\s*${N}\s*(?:点|個|本|枚|着|台|セット)`,
  String.raw`在庫(?:数)?\s*[:：]?\s*${N}\s*(?:点|個|本|枚|台)`,
  String.raw`(?:仅剩|只剩|剩余|僅剩|剩餘)\s*${N}\s*(?:件|个|個|份|台|套)`,
  String.raw`(?:库存|庫存)\s*[:：]?\s*${N}`,
  String.raw`${N}\s*개\s*남음`,
  String.raw`재고\s*[:：]?\s*${N}\s*개`,
  String.raw`(?:เหลือ|คงเหลือ)\s*${N}\s*(?:ชิ้น|อัน|ตัว|กล่อง)`,
];
// A count is never the tail of a longer number or word.
const COUNT = new RegExp(
  [...WORD_COUNTS.map((source) => String.raw`(?<![\p{L}\d.,])${source}`), ...OTHER_COUNTS].join('|'),
  'iu',
);

/** Words one of the counts needs: most texts with a digit (prices, sizes) hold none of them. */
const COUNT_WORDS =
  /left|remaining|available|stock|noch|reste|plus que|queda|disponib|rimang|rimast|magazzino|voorraad|zosta|pozosta|resta|estoque|lager|остал|залиш|наличи|kaldı|stok|sisa|còn|残り|在庫|剩|库存|庫存|남음|재고|เหลือ/iu;

/** A count of units in stock in `text`: its value and span, or null. */
function countPhrase(text: string): { value: AvailabilityValue; index: number; end: number } | null {
  if (!/\d/.test(text) || !COUNT_WORDS.test(text)) return null;
  const found = COUNT.exec(text);
  if (!found) return null;
  const digits = found.slice(1).find((group) => group !== undefined) ?? '';
  const count = Number(digits.replace(/\D/g, ''));
  return {
    value: count > 0 ? 'InStock' : 'OutOfStock',
    index: found.index,
    end: found.index + found[0].length,
  };
}

/**
 * Maps schema.org availability (URL or short name, any case) or a shop's own wording in common
 * languages to an availability value; anything unrecognised is 'Unknown'.
 */
export function normaliseAvailability(text: string | null | undefined): AvailabilityValue {
  if (!text) return 'Unknown';
  // Pages repeat the same stock wording on many elements; the phrase matchers are costly.
  const known = seen.get(text);
  if (known !== undefined) return known;
  const result = classify(text);
  if (seen.size >= MAX_SEEN) seen.clear();
  seen.set(text, result);
  return result;
}

const MAX_SEEN = 5000;
const seen = new Map<string, AvailabilityValue>();

function classify(text: string): AvailabilityValue {
  const value = text.trim().slice(0, 500);
  if (value === '') return 'Unknown';
  const name = value
    .replace(/^https?:\/\/(www\.)?schema\.org\//i, '')
    .replace(/^schema:/i, '')
    .replace(/[\s_-]/g, '')
    .toLowerCase();
  const schemaValue = SCHEMA_NAMES[name];
  if (schemaValue) return schemaValue;
  return stockPhrase(value)?.value ?? 'Unknown';
}

/** Where in `text` its stock wording sits: the value and the phrase's span, or null when none. */
export function stockPhrase(text: string): { value: AvailabilityValue; index: number; end: number } | null {
  const value = text.slice(0, 500);
  if (!ANY_PHRASE.test(value)) return countPhrase(value);
  for (const matcher of MATCHERS) {
    // A count speaks before plain "in stock" wording ("0 in stock"), after every other value's.
    if (matcher === PLAIN_IN_STOCK) {
      const counted = countPhrase(value);
      if (counted) return counted;
    }
    const other = matcher.other?.exec(value);
    let found: RegExpExecArray | null = other ?? null;
    if (!found && matcher.words) {
      matcher.words.lastIndex = 0;
      found = execAtWordStart(matcher.words, value);
    }
    if (found) return { value: matcher.value, index: found.index, end: found.index + found[0].length };
  }
  return null;
}
