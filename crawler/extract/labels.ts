/**
 * Labelled values in a page's visible text: "SKU: …", "ASIN ‏ : ‎ …", "Artikelnummer 100-2231",
 * "Availability: In stock (3 available)". Tables, definition lists, bullet lists and "Label:
 * value" lines all read the same once flattened to text (block boundaries become spaces), so
 * one pass over the text near the page's heading finds them whatever the markup.
 *
 * Identifier labels come in tiers: the shop's (or marketplace's) own identifier first, then a
 * barcode, then the manufacturer's model or part number, which a shop shows beside its own code
 * and is not the shop's identifier.
 */
import { normaliseAvailability } from '../normalise/availability.ts';
import { execAtWordStart } from '../normalise/word-start.ts';

/** Marks a block boundary (a cell, a list item, a paragraph) in the text the labels are read from. */
export const BLOCK = '\ue000';

// Each starts a word (checked by execAtWordStart); the separator after it is optional. A label
// in a script without spaces may run straight into a Latin code ("商品編號DYAJ6K-…", the label
// and the code in two cells): the change of script ends the label.
const SEP = String.raw`(?:(?<=[#.:：])|(?![\p{L}])|(?<=[\p{sc=Han}\p{sc=Hangul}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}])(?=[A-Za-z]))[\s\u200e\u200f\ue000]*[:：#.]?[\s\u200e\u200f\ue000]*[:：#]?[\s\u200e\u200f\ue000]*`;
const SHOP_ID = new RegExp(
  String.raw`(?:sku(?:\s*(?:code|id|no\.?|nr\.?|number|#))?|ugs|asin|fsn|tcin|item\s*(?:#|no\.?|nr\.?|number|code|id)|product\s*(?:code|id|no\.?|number|#)|article\s*(?:no\.?|number|code)|art(?:ikel)?\.?[\s-]*(?:nr|nummer|no)\.?|artikelnummer|artikelnr|artnr|bestellnummer|best\.?-?nr\.?|produktnummer|produktnr|ordernummer|order\s*(?:no\.?|number|code)|cat(?:alogue)?\.?\s*(?:no|number)\.?|catalog\s*number|style\s*(?:no\.?|#|number|code)|web\s*(?:id|code)|internet\s*(?:#|no\.?|number)|store\s*sku|stock\s*(?:code|no\.?|number)|post\s*id|ad\s*(?:id|no\.?|number|#)|listing\s*id|anzeigen?(?:-?nr\.?|nummer|-?id)?|advertentie(?:nummer|-?id)|n[°º]\s*(?:d['’]|de\s*l['’])?annonce|annonce\s*n[°º]|r[ée]f[ée]rence\s*de\s*l['’]annonce|(?:numero|id)\s*(?:dell['’])?annuncio|(?:n[úu]mero|id|n[°º])\s*(?:del?\s*)?anuncio|ilan\s*(?:no\.?|numarası)|(?:numer|id)\s*ogłoszenia|(?:номер|№)\s*объявления|annons(?:nummer|-?id)|finn-?kode|ilmoitus(?:numero|tunnus)|annonce(?:nummer|-?id)|číslo\s*inzerátu|hirdetés(?:\s*azonosító|kód)|lot\s*(?:no\.?|number|#)|auction\s*id|オークションid|商品id|n[°º]\s*d['’]article|num[ée]ro\s*d['’]article|n\.?[°º]\s*(?:de\s*)?(?:art[íi]culo|r[ée]f[ée]rence|referencia)|r[ée]f[ée]rence|r[ée]f\.?|nr\.?\s*ref\.?|numer\s*(?:referencyjny|katalogowy|produktu)|kod\s*(?:produktu|towaru)|indeks|c[óo]d(?:igo|\.)?(?:\s*(?:del?|do|da)\s*(?:producto|produto|artículo|articulo|artigo|item))|código(?:\s*(?:del\s*)?(?:producto|artículo|articulo))?|cód\.?|code\s*(?:produit|article|art\.?)|codice(?:\s*(?:articolo|prodotto))?|cod\.?\s*art(?:icolo)?\.?|referencia|referência|šifra(?:\s*artikla)?|kód(?:\s*produktu)?|katalógové číslo|katalogové číslo|produkta\s*kods|prekės kodas|tootekood|tuotenumero|tuotekoodi|varenummer|varenr\.?|produktnummer|artikelnummer|cikkszám|termékkód|артикул|код\s*товара|арт\.|商品番号|商品コード|品番|货号|貨號|商品貨號|商品编号|商品編號|產品編號|상품번호|상품코드|ürün kodu|stok kodu|ürün no\.?|mã\s*(?:sản\s*phẩm|sp|hàng|số)|kode\s*(?:produk|barang|item)|kod\s*(?:produk|barang)|no\.?\s*produk|รหัสสินค้า|รหัส|cod\s*(?:produs|articol)|artikelcode|productcode|bestelcode|κωδικός(?:\s*προϊόντος)?|код(?:\s*(?:товару|на\s*продукта|продукта|артикула))?|رقم\s*(?:المنتج|الصنف)|رمز\s*المنتج|كود\s*المنتج|מק"ט|מק״ט|מקט)${SEP}`,
  'gu',
);
const MODEL = new RegExp(
  String.raw`(?:(?:item\s*)?model\s*(?:no\.?|number|#|nr\.?)?|mpn|oem?\s*(?:ref(?:erence)?|no\.?|number|#|part\s*(?:no\.?|number))|cross\s*ref(?:erence)?|manufacturer\s*(?:part\s*)?(?:no\.?|number|#)|mfr\.?\s*(?:part\s*)?(?:no\.?|#)|part\s*(?:no\.?|number|#)|herstellernummer|hersteller-?nr\.?|hersteller-?artikelnummer|modellnummer|typ|modèle|référence fabricant|réf\.?\s*fabricant|modelo|número de pieza|modello|codice produttore|model|modelnummer|numer\s*modelu|model\s*číslo|型番|型号|型號|모델명|모델번호)${SEP}`,
  'gu',
);
const GTIN = new RegExp(
  String.raw`(?:ean(?:-?13)?|gtin(?:-?1[34])?|upc|isbn(?:-?1[03])?|jan(?:\s*code|コード)?|kod\s*ean|barcode|código de barras|codice a barre|strichcode)${SEP}`,
  'gu',
);
// Labels only, not stock words themselves ("In stock" is a value, "Availability" a label).
const AVAILABILITY =
  /(?:availability|stock\s*status|stock\s*level|inventory|verfügbarkeit|lieferstatus|lagerstatus|lagerbestand|lieferbarkeit|disponibilit[éàa]|disponibilidad|disponibilidade|beschikbaarheid|voorraadstatus|dostępność|dostupnost|dostupnosť|elérhetőség|készlet|tillgänglighet|lagersaldo|saatavuus|tilgængelighed|pieejamība|prieinamumas|saadavus|наличие|наявність|在庫状況|在庫|库存|庫存|재고|stok durumu|stok|ketersediaan|status\s*stok|tình\s*trạng(?:\s*kho)?|tồn\s*kho|สถานะ(?:สินค้า)?|สต็อก|disponibilitate|stoc|διαθεσιμότητα|التوفر|التوافر|المخزون|זמינות|מלאי)(?![\p{L}])/gu;
// What follows a label before its value: a colon, or the end of the label's cell.
const LABEL_END = /^[\s\u200e\u200f]*(?:[:：]|\ue000)[\s\u200e\u200f\ue000:：]*/u;

// A code is one token with a digit: "A-1234", "466/7999", "002.937.72", not "Montre Connectée".
const CODE = /^[\p{L}\p{N}][\p{L}\p{N}./_-]{1,39}/u;

export interface Labelled {
  /** The shop's own identifier, or a barcode-labelled code that is no real barcode (a shop code). */
  sku?: string;
  gtin?: string;
  /** The manufacturer's model or part number. */
  model?: string;
  /** The stock wording after an availability label, classified; `at` is the label's offset in the text. */
  availability?: { value: string; text: string; at: number };
}

// A name (a word in lower case after its first letter: no code like "NLW-TQ"), then the label's
// end (a colon or the end of its cell).
const NAMED_LABEL_END = /^(\p{L}\p{Ll}{2,30})[\s\u200e\u200f]*(?:[:：]|\ue000)[\s\u200e\u200f\ue000:：]*/u;
// Words before a reference label that make it another maker's (an original equipment part number).
const MAKER_QUALIFIED =
  /(?:^|[^\p{L}])(?:oem?|cross|mfr|manufacturer'?s?|hersteller|fabricant|fabricante|produttore)\.?[\s-]*$/u;
const MAKER_WORD =
  /^(?:fabricant|fabricante|produttore|hersteller|herstellers|manufacturer|maker|fournisseur|supplier|lieferant|proveedor|fornitore|leverancier|producenta?|výrobce|gyártó|tillverkare|valmistaja|marque|marca|brand|modèle|modelo|modello|model|ean|upc|gtin)$/i;

/** Codes after a label, by distance from the heading (before it counts four times as far). */
function codes(
  text: string,
  lower: string,
  label: RegExp,
  headingAt: number,
  digits: boolean,
): { code: string; distance: number }[] {
  label.lastIndex = 0;
  const out: { code: string; distance: number }[] = [];
  let match = execAtWordStart(label, lower, { digits: true });
  for (let seen = 0; match && seen < 200; seen++) {
    let start = match.index + match[0].length;
    // Another maker's reference ("OE Ref", "OEM no.", "Cross ref"): no code of the shop's.
    if (label === SHOP_ID && MAKER_QUALIFIED.test(lower.slice(Math.max(0, match.index - 14), match.index))) {
      match = execAtWordStart(label, lower, { digits: true });
      continue;
    }
    // The shop's name after the label ("Référence Cdiscount", "SKU Zalando:"), its cell or colon
    // ending there: the code follows. A maker's reference ("Réf. fabricant") is no shop code.
    const named = label === SHOP_ID ? NAMED_LABEL_END.exec(text.slice(start, start + 60)) : null;
    if (named && !MAKER_WORD.test(named[1] as string)) start += named[0].length;
    const after = text.slice(start, start + 60);
    const code = CODE.exec(after)?.[0]?.replace(/[.]+$/, '');
    const next = after.slice(code?.length ?? 0);
    // One token (with a digit, or an upper-case code like "BM-BCG-PRO", for most labels), not
    // followed by more words of the same run ("Ref. 12 pieces").
    const codeLike =
      code !== undefined && (/\d/.test(code) || /^[A-Z][A-Z0-9]*(?:[-_.][A-Z0-9]+)+$/.test(code));
    if (code && (!digits || codeLike) && !/^[\p{L}\p{N}]/u.test(next) && match[0].trim() !== '') {
      const distance = match.index >= headingAt ? match.index - headingAt : (headingAt - match.index) * 4;
      out.push({ code, distance });
    }
    match = execAtWordStart(label, lower, { digits: true });
  }
  return out.sort((a, b) => a.distance - b.distance);
}

/**
 * The text in lower case for the labels, which are written in lower case and matched case-sensitively:
 * a case-insensitive search of page text for dozens of labels costs half as much again. Offsets
 * in it are those of `text`: a text whose length lower-casing would change is matched as it is.
 */
export function lowered(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  // Turkish "İ" lower-cases to two code units ("i" and a combining dot): as "i" the length holds,
  // so one "İndirim" on a page no longer leaves every label on it unread.
  const dotless = text.replaceAll('İ', 'i').toLowerCase();
  return dotless.length === text.length ? dotless : text;
}

const isBarcode = (code: string): boolean => /^\d[\d\s-]{6,16}\d$/.test(code);

/**
 * The labelled identifiers in `text` (the page's visible text near its heading), each the one
 * nearest after the heading. `headingAt` is the heading's offset.
 */
export function readIdentifiers(
  text: string,
  headingAt: number,
  lower = lowered(text),
): Pick<Labelled, 'sku' | 'gtin'> {
  const out: Pick<Labelled, 'sku' | 'gtin'> = {};
  const shop = codes(text, lower, SHOP_ID, headingAt, true);
  const barcode = codes(text, lower, GTIN, headingAt, false);
  if (shop[0]) out.sku = shop[0].code;
  const gtin = barcode.find((c) => isBarcode(c.code));
  if (gtin) out.gtin = gtin.code;
  // "UPC: a897fe39b1053632": a barcode label over a code that is none is the shop's own code.
  const shopCode = barcode.find((c) => !isBarcode(c.code) && /\d/.test(c.code) && c.code.length >= 6);
  if (!out.sku && shopCode) out.sku = shopCode.code;
  return out;
}

/** The manufacturer's model or part number nearest after the heading. */
export function readModel(text: string, headingAt: number, lower = lowered(text)): string | undefined {
  return codes(text, lower, MODEL, headingAt, true)[0]?.code;
}

/** Everything labelled: identifiers, the model number and availability (each reader can run alone). */
export function readLabels(text: string, headingAt: number): Labelled {
  const out: Labelled = readIdentifiers(text, headingAt);
  const model = readModel(text, headingAt);
  if (model) out.model = model;
  const stock = readStockLabel(text, headingAt);
  if (stock) out.availability = stock;
  return out;
}

// A count of pieces as a stock label's value: "Lagerbestand: 0", "Stock: 12 pcs".
const COUNT =
  /^[\s\u200e\u200f]*(\d{1,6})(?:\s*(?:pcs|pieces|units|items|stück|stk\.?|st\.?|szt\.?|uds\.?|unidades|pièces|pezzi|stuks|kpl|ks|db|adet|buah|cái|sản phẩm|ชิ้น|шт\.?|個|件|点))?[\s.]*$/iu;
// Yes, no, none and the marks Japanese shops use (○ in stock, △ few left, × none).
const YES =
  /^(?:yes|y|ja|oui|s[ií]|sim|tak|ano|igen|kyllä|да|так|はい|是|有|예|evet|var|ada|còn|có|มี|ναι|[○◯✓✔△])$/iu;
const NO =
  /^(?:no|n|nein|nee|nej|non|não|nao|nie|ne|nem|ei|нет|ні|いいえ|否|无|無|아니요|hayır|yok|habis|kosong|tidak ada|hết|không|หมด|ไม่มี|όχι|none|keine|aucun|ninguno|nessuno|geen|ingen|brak|nincs|žádné|なし|[×✕✗])$/iu;

/**
 * A stock label's or stock cell's value that is no stock wording: a yes or no, a count, a mark.
 * InStock, OutOfStock, or Unknown.
 */
export function stockAnswer(value: string): string {
  const text = value.trim().replace(/[.!]$/, '');
  if (YES.test(text)) return 'InStock';
  if (NO.test(text)) return 'OutOfStock';
  const count = COUNT.exec(text)?.[1];
  if (count === undefined) return 'Unknown';
  return Number(count) > 0 ? 'InStock' : 'OutOfStock';
}

/**
 * A yes/no or stock word that opens a cell whose end ran on into the next element's text
 * ("Yok Gelince Haber Ver": a table cell, then a link after the table): the words after it
 * must start anew, with a capital, so "no information given" is no answer.
 */
function leadingAnswer(cell: string): string {
  const words = cell.trim().split(/\s+/);
  for (let k = 1; k <= Math.min(3, words.length - 1); k++) {
    const next = words[k] as string;
    if (!/^\p{Lu}/u.test(next)) continue;
    const head = words.slice(0, k).join(' ');
    const worded = normaliseAvailability(head);
    const value = worded === 'Unknown' ? stockAnswer(head) : worded;
    if (value !== 'Unknown') return value;
  }
  return 'Unknown';
}

/**
 * The stock wording of an availability label's value, for the label nearest after the heading:
 * the label must end with a colon or its cell ("Availability: In stock", "Lagerstatus | Finns i
 * lager"), so "Check availability in store" is no label; the value is read to the end of its cell.
 */
export function readStockLabel(
  text: string,
  headingAt: number,
  lower = lowered(text),
): Labelled['availability'] {
  AVAILABILITY.lastIndex = 0;
  let best: { value: string; text: string; distance: number; at: number } | undefined;
  let match = execAtWordStart(AVAILABILITY, lower);
  for (let seen = 0; match && seen < 100; seen++) {
    const start = match.index + match[0].length;
    const end = LABEL_END.exec(text.slice(start, start + 8));
    if (end) {
      const rest = text.slice(start + end[0].length, start + end[0].length + 60);
      const cell = rest.split(BLOCK)[0] ?? '';
      const worded = normaliseAvailability(cell);
      const value =
        worded === 'Unknown'
          ? stockAnswer(cell) === 'Unknown'
            ? leadingAnswer(cell)
            : stockAnswer(cell)
          : worded;
      if (value !== 'Unknown') {
        const distance = match.index >= headingAt ? match.index - headingAt : (headingAt - match.index) * 4;
        if (!best || distance < best.distance) best = { value, text: cell.trim(), distance, at: match.index };
      }
    }
    match = execAtWordStart(AVAILABILITY, lower);
  }
  return best ? { value: best.value, text: best.text, at: best.at } : undefined;
}
