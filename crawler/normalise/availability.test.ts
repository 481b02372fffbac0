import { describe, expect, it } from 'vitest';
import { normaliseAvailability } from './availability.ts';

describe('normaliseAvailability', () => {
  it.each([
    ['https://schema.org/InStock', 'InStock'],
    ['http://schema.org/OutOfStock', 'OutOfStock'],
    ['InStock', 'InStock'],
    ['instock', 'InStock'],
    ['schema:SoldOut', 'OutOfStock'],
    ['https://schema.org/PreOrder', 'PreOrder'],
    ['PreSale', 'PreOrder'],
    ['BackOrder', 'BackOrder'],
    ['Discontinued', 'Discontinued'],
    ['LimitedAvailability', 'InStock'],
    ['InStoreOnly', 'InStock'],
    ['OnlineOnly', 'InStock'],
    ['in_stock', 'InStock'],
    ['out of stock', 'OutOfStock'],
  ])('schema.org and feed value %s → %s', (text, expected) => {
    expect(normaliseAvailability(text)).toBe(expected);
  });

  it.each([
    ['In stock', 'InStock'],
    ['Only 3 left in stock!', 'InStock'],
    ['Not in stock', 'OutOfStock'],
    ['Currently unavailable', 'OutOfStock'],
    ['Sold out', 'OutOfStock'],
    ['Available for pre-order', 'PreOrder'],
    ['Available on backorder', 'BackOrder'],
    ['Auf Lager', 'InStock'],
    ['Nicht auf Lager', 'OutOfStock'],
    ['Derzeit nicht verfügbar', 'OutOfStock'],
    ['Sofort lieferbar', 'InStock'],
    ['En stock', 'InStock'],
    ['Rupture de stock', 'OutOfStock'],
    ['Épuisé', 'OutOfStock'],
    ['Agotado', 'OutOfStock'],
    ['Disponible', 'InStock'],
    ['No disponible', 'OutOfStock'],
    ['Disponibile', 'InStock'],
    ['Esaurito', 'OutOfStock'],
    ['Non disponibile', 'OutOfStock'],
    ['Op voorraad', 'InStock'],
    ['Uitverkocht', 'OutOfStock'],
    ['Dostępny', 'InStock'],
    ['Niedostępny', 'OutOfStock'],
    ['Em estoque', 'InStock'],
    ['Esgotado', 'OutOfStock'],
    ['Finns i lager', 'InStock'],
    ['Slutsåld', 'OutOfStock'],
    ['在庫あり', 'InStock'],
    ['在庫切れ', 'OutOfStock'],
    ['有货', 'InStock'],
    ['缺货', 'OutOfStock'],
    ['품절', 'OutOfStock'],
    ['Tükendi', 'OutOfStock'],
    ['Stokta yok', 'OutOfStock'],
    ['Ikke på lager', 'OutOfStock'],
    ['På lager', 'InStock'],
    ['Udsolgt', 'OutOfStock'],
    ['Není skladem', 'OutOfStock'],
    ['Skladem', 'InStock'],
    ['Nincs raktáron', 'OutOfStock'],
    ['Nincs készleten', 'OutOfStock'],
    ['Készleten', 'InStock'],
    ['Tidak tersedia', 'OutOfStock'],
    ['Hết hàng', 'OutOfStock'],
    ['Tạm hết hàng', 'OutOfStock'],
    ['Chỉ còn 2 sản phẩm', 'InStock'],
    ['Ngừng kinh doanh', 'Discontinued'],
    ['Stok kosong', 'OutOfStock'],
    ['Barang habis', 'OutOfStock'],
    ['Ready stock', 'InStock'],
    ['Tersisa 5 buah', 'InStock'],
    ['Tükenmek üzere', 'InStock'],
    ['Satışta değil', 'OutOfStock'],
    ['หมดชั่วคราว', 'OutOfStock'],
    ['พร้อมส่ง', 'InStock'],
    ['Nedostupné', 'OutOfStock'],
    ['غير متوفر', 'OutOfStock'],
    ['Vorbestellen', 'PreOrder'],
    ['No longer available', 'Discontinued'],
  ])('phrase %s → %s', (text, expected) => {
    expect(normaliseAvailability(text)).toBe(expected);
  });

  it.each([
    ['Only 3 left!', 'InStock'],
    ['0 in stock', 'OutOfStock'],
    ['1,234 in stock', 'InStock'],
    ['0 available', 'OutOfStock'],
    ['nur noch 2 Stück', 'InStock'],
    ['plus que 2 en stock', 'InStock'],
    ['Sólo quedan 2 unidades', 'InStock'],
    ['осталось 4 шт.', 'InStock'],
    ['son 2 ürün kaldı', 'InStock'],
    ['Stok: 0', 'OutOfStock'],
    ['残り3点', 'InStock'],
    ['在庫：0点', 'OutOfStock'],
    ['仅剩2件', 'InStock'],
    ['库存：0', 'OutOfStock'],
    ['2개 남음', 'InStock'],
    ['เหลือ 5 ชิ้น', 'InStock'],
    ['เหลือ 0 ชิ้น', 'OutOfStock'],
    // A sold-out notice outranks a count elsewhere in the text.
    ['Out of stock. Only 2 left at other stores', 'OutOfStock'],
  ])('a count of units in stock: %s → %s', (text, expected) => {
    expect(normaliseAvailability(text)).toBe(expected);
  });

  it.each([
    'Only 3 days left',
    'Nur noch 3 Tage',
    'Plus que 3 jours',
    'quedan 3 días',
    'solo 3 cuotas sin interés',
    '残り3日',
    '剩余3天',
    'осталось 3 дня',
    '3 gün kaldı',
    'Ends in 2 hours',
  ])('a countdown or a number that is no stock count: %s → Unknown', (text) => {
    expect(normaliseAvailability(text)).toBe('Unknown');
  });

  it("reads PrestaShop's notice for a combination that cannot be bought as out of stock, in its languages", () => {
    for (const text of [
      'Product available with different options',
      "Produit disponible avec d'autres options",
      'Producto disponible con otras opciones',
      'Prodotto disponibile con altre opzioni',
      'Produkt mit anderen Optionen verfügbar',
    ])
      expect(normaliseAvailability(text)).toBe('OutOfStock');
    expect(normaliseAvailability('Available in other colours')).toBe('InStock');
  });

  it('reads low stock said with a sold-out word as in stock, and 售完 or 補貨中 as out of stock', () => {
    for (const text of [
      '품절임박 · 3개 남음',
      'Almost sold out',
      'Fast ausverkauft',
      '即將售罄',
      'Casi agotado',
    ])
      expect(normaliseAvailability(text)).toBe('InStock');
    for (const text of ['품절', '售完，補貨中！', '晨霧灰（售完）', '补货中'])
      expect(normaliseAvailability(text)).toBe('OutOfStock');
  });

  it('reads "no longer in stock" (PrestaShop’s notice) and an ended auction or listing as out of stock', () => {
    for (const text of [
      'This product is no longer in stock',
      "Ce produit n'est plus en stock",
      'Denna produkt finns inte längre i lager',
      'Dieser Artikel ist nicht mehr auf Lager',
      'Dit product is niet meer op voorraad',
      'Bidding has ended on this item.',
      'Dieses Angebot wurde beendet. Angebot beendet',
      'Slutsålt',
    ])
      expect(normaliseAvailability(text), text).toBe('OutOfStock');
  });

  it('returns Unknown for anything else', () => {
    expect(normaliseAvailability('')).toBe('Unknown');
    expect(normaliseAvailability(undefined)).toBe('Unknown');
    expect(normaliseAvailability('Blue, size M')).toBe('Unknown');
    expect(normaliseAvailability('https://schema.org/Something')).toBe('Unknown');
  });
});
