import { describe, expect, it } from 'vitest';
import { BLOCK, lowered, readLabels } from './labels.ts';

// Page text as the heuristics flatten it: block boundaries marked, so "th | td" reads "Label<mark> value".
const text = (...cells: string[]) => cells.join(` ${BLOCK} `);

describe('labelled values', () => {
  it("takes the shop's or marketplace's identifier over the model number, in tables and bullets", () => {
    expect(readLabels(text('ASIN', 'B0BTYCRJSS', 'Item model number', 'A3040'), 0)).toMatchObject({
      sku: 'B0BTYCRJSS',
      model: 'A3040',
    });
    expect(readLabels('ASIN \u200f : \u200e B07GCNDL91 Manufacturer : Acme', 0).sku).toBe('B07GCNDL91');
    expect(readLabels(text('Herstellernummer:', '770-3600', 'Artikelnummer:', '100-2231'), 0)).toMatchObject({
      sku: '100-2231',
      model: '770-3600',
    });
    expect(readLabels(text('商品番号', 'TN-0421', '型番', 'AZ-ASA-01'), 0).sku).toBe('TN-0421');
    expect(readLabels(text('Model Number', '410178'), 0).sku).toBeUndefined();
  });

  it('reads upper-case codes without digits, and a barcode label over a code that is no barcode', () => {
    expect(readLabels(text('SKU:', 'BM-BCG-PRO'), 0).sku).toBe('BM-BCG-PRO');
    expect(readLabels(text('SKU:', 'Montre'), 0).sku).toBeUndefined();
    expect(readLabels(text('UPC', 'a897fe39b1053632'), 0).sku).toBe('a897fe39b1053632');
    expect(readLabels(text('EAN:', '4006381333931'), 0)).toMatchObject({ gtin: '4006381333931' });
  });

  it('reads availability after a label that ends its cell or has a colon, in several languages', () => {
    expect(readLabels(text('Availability', 'In stock (22 available)'), 0).availability?.value).toBe(
      'InStock',
    );
    expect(readLabels('Availability: Out of stock', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels(text('Lieferstatus:', 'derzeit nicht lieferbar'), 0).availability?.value).toBe(
      'OutOfStock',
    );
    expect(readLabels(text('Lagerstatus', 'Finns i lager'), 0).availability?.value).toBe('InStock');
    // A count, a yes/no or a none word, and the marks of Japanese shops, as the label's value.
    expect(readLabels('Lagerbestand: 0', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Inventory: 12 pcs', 0).availability?.value).toBe('InStock');
    expect(readLabels(text('Dostępność:', 'brak'), 0).availability?.value).toBe('OutOfStock');
    expect(readLabels(text('在庫', '×'), 0).availability?.value).toBe('OutOfStock');
    expect(readLabels(text('在庫', '○'), 0).availability?.value).toBe('InStock');
    // Running text is no label: "check availability in store" says nothing of stock here.
    expect(readLabels('Check availability in store Produkt niedostępny', 0).availability).toBeUndefined();
  });

  it('reads a code glued to "#", "SKU Code" and Romance "code/código of the product" labels', () => {
    expect(readLabels('Item #HT-DO55-RED', 0).sku).toBe('HT-DO55-RED');
    expect(readLabels(text('SKU Code', 'JW-SR-2231'), 0).sku).toBe('JW-SR-2231');
    expect(readLabels(text('Code produit', 'ER4-540-AMB'), 0).sku).toBe('ER4-540-AMB');
    expect(readLabels('Cód. do produto: CC-EXP15-INX', 0).sku).toBe('CC-EXP15-INX');
    expect(readLabels('Código del producto: 10-2231', 0).sku).toBe('10-2231');
    expect(readLabels('貨號：PY-CC-BRN', 0).sku).toBe('PY-CC-BRN');
    expect(readLabels("N° d'article : FJ-FMM-800", 0).sku).toBe('FJ-FMM-800');
    expect(readLabels('Nº de artículo: 4471-B', 0).sku).toBe('4471-B');
    // A label in a script without spaces, its code straight after it in the next cell.
    expect(readLabels('商品編號DYAJ6K-A900GH3ZF', 0).sku).toBe('DYAJ6K-A900GH3ZF');
    expect(readLabels('상품번호KX-2231', 0).sku).toBe('KX-2231');
    // Another maker's references ("OE Ref", "OEM no.", "Cross ref") are model numbers, not the shop's.
    expect(readLabels(text('Part No:', 'ASD-BP-44871', 'OE Ref:', '04465-0K290'), 0)).toEqual({
      model: 'ASD-BP-44871',
    });
    expect(readLabels(text('Ref:', 'AB-1234', 'OEM no.', '04465-0K290'), 0)).toMatchObject({
      sku: 'AB-1234',
    });
    // "Код" alone (Russian, Ukrainian), not inside another word ("Промокод").
    expect(readLabels(text('Код:', '398765432'), 0).sku).toBe('398765432');
    expect(readLabels('Промокод: SALE2024', 0).sku).toBeUndefined();
    // Still a word of its own: "Skunk 12" is no "SKU" label.
    expect(readLabels('Skunk 12-44', 0).sku).toBeUndefined();
  });

  it('reads Vietnamese, Indonesian, Thai and Turkish identifier and stock labels', () => {
    expect(readLabels('Mã sản phẩm: DMSH-04417', 0).sku).toBe('DMSH-04417');
    expect(readLabels('Mã SP: GM-AKG-2291', 0).sku).toBe('GM-AKG-2291');
    expect(readLabels(text('Kode Produk', ':', 'GRD-NL-4410'), 0).sku).toBe('GRD-NL-4410');
    expect(readLabels(text('Kode Barang', 'BS-KPR-M-021'), 0).sku).toBe('BS-KPR-M-021');
    expect(readLabels('รหัสสินค้า: BSS-AF55-BK', 0).sku).toBe('BSS-AF55-BK');
    expect(readLabels('Stok Kodu: AE-KUP-4-BEJ', 0).sku).toBe('AE-KUP-4-BEJ');
    // "Mã số thuế" (a tax number) in a footer names no product code worth a word.
    expect(readLabels('Mã số thuế 0101234567', 0).sku).toBeUndefined();
    expect(readLabels(text('Stok', ':', 'Stok habis'), 0).availability?.value).toBe('OutOfStock');
    expect(readLabels(text('Ketersediaan', 'Tersedia'), 0).availability?.value).toBe('InStock');
    expect(readLabels('Tình trạng: Hết hàng', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Stok: 12 adet', 0).availability?.value).toBe('InStock');
    // Their yes and no words as a stock label's value: "Stok: Yok", "Stok: Habis", "Tình trạng: Còn".
    expect(readLabels('Stok Durumu: Yok', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Stok: Var', 0).availability?.value).toBe('InStock');
    expect(readLabels('Stok: Habis', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Stok: Kosong', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Tình trạng: Hết', 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Tình trạng: Còn', 0).availability?.value).toBe('InStock');
    expect(readLabels(text('สถานะ', 'หมด'), 0).availability?.value).toBe('OutOfStock');
    // A value cell that runs on into the next element's words ("Yok Gelince Haber Ver").
    expect(readLabels(`${text('Stok Durumu', 'Yok Gelince Haber Ver')}`, 0).availability?.value).toBe(
      'OutOfStock',
    );
    expect(readLabels('Availability: In stock Ships tomorrow', 0).availability?.value).toBe('InStock');
    expect(readLabels('Availability: no information given', 0).availability).toBeUndefined();
    expect(readLabels('สถานะสินค้า: สินค้าหมด', 0).availability?.value).toBe('OutOfStock');
  });

  it('reads Romanian, Dutch, Greek, Slavic, Arabic and Hebrew identifier and stock labels', () => {
    expect(readLabels('Cod produs: RO-4471-B', 0).sku).toBe('RO-4471-B');
    expect(readLabels(text('Artikelcode', 'NL-22-K'), 0).sku).toBe('NL-22-K');
    expect(readLabels('Κωδικός προϊόντος: GR-1120', 0).sku).toBe('GR-1120');
    expect(readLabels('Код товару: UA-55-01', 0).sku).toBe('UA-55-01');
    expect(readLabels('رقم المنتج: AR-7781', 0).sku).toBe('AR-7781');
    expect(readLabels('מק"ט: IL-3301', 0).sku).toBe('IL-3301');
    expect(readLabels(text('Disponibilitate:', 'Stoc epuizat'), 0).availability?.value).toBe('OutOfStock');
    expect(readLabels('Stoc: În stoc', 0).availability?.value).toBe('InStock');
    expect(readLabels(text('זמינות', 'במלאי'), 0).availability?.value).toBe('InStock');
    expect(readLabels(text('التوفر:', 'غير متوفر'), 0).availability?.value).toBe('OutOfStock');
  });

  it('prefers the label nearest after the heading', () => {
    const page = `${text('SKU:', 'MENU-1')} Blue Kettle ${text('SKU:', 'BK-22')}`;
    expect(readLabels(page, page.indexOf('Blue Kettle')).sku).toBe('BK-22');
  });
});

describe('lower-casing for labels', () => {
  it('keeps offsets when the text holds a Turkish dotted capital I, so its labels are still read', () => {
    const text = `İNDİRİM %20${BLOCK}Ürün Kodu${BLOCK}TK-88120${BLOCK}`;
    expect(lowered(text)).toHaveLength(text.length);
    expect(readLabels(text, 0).sku).toBe('TK-88120');
  });
});

describe('a shop label naming the shop', () => {
  it('reads the code after "Référence <shop>", not a maker\'s reference or a letter-only code', () => {
    const read = (text: string) => readLabels(text.replaceAll('|', BLOCK), 0);
    expect(read('Référence Fnac|FN-2044817|Réf. fabricant|KX-900|').sku).toBe('FN-2044817');
    expect(read('Artikelnummer Galaxus: 23348120|').sku).toBe('23348120');
    expect(read('Référence fabricant|KX-900|').sku).toBeUndefined();
    expect(read('SKU|NLW-TQ-CRN|').sku).toBe('NLW-TQ-CRN');
  });
});
