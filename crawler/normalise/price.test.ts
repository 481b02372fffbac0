import { describe, expect, it } from 'vitest';
import { currencyToIso, isoFromText } from './currency.ts';
import { parsePrice } from './price.ts';

const amount = (text: string, hints?: Parameters<typeof parsePrice>[1]) => parsePrice(text, hints).amount;

describe('parsePrice amounts', () => {
  it.each([
    ['1299.00', '1299.00'],
    ['1.299,00 €', '1299.00'],
    ['12,5', '12.5'],
    ['1 234,56', '1234.56'],
    ['$1,299', '1299'],
    ['Price: from 19.99', '19.99'],
    ['1\u202f234,56 €', '1234.56'],
    ['1\u00a0298,00', '1298.00'],
    ["CHF 1'049.95", '1049.95'],
    ['1’049,95 €', '1049.95'],
    ['6,000.00 руб. 5,500.00 руб.', '6000.00'],
    ['19.99 - 29.99', '19.99'],
    ['$699,000', '699000'],
    ['Rp 31.500', '31500'],
    ['0.750', '0.750'],
    ['1234.567', '1234.567'],
    ['฿ 3.3900', '3.3900'],
    ['€ 610,', '610'],
    ['$.75', '0.75'],
    ['$119. 95', '119.95'],
    ['007,50', '7.50'],
    ['￥１，２００', '1200'],
    ['٣٤٫٥ ر.س', '34.5'],
    ['118, 99 TL', '118.99'],
    ['1 234, 56 zł', '1234.56'],
    ['118 ,99 TL', '118.99'],
    ['$19 .95', '19.95'],
    ['1.249 ,90 TL', '1249.90'],
  ])('%s → %s', (text, expected) => {
    expect(amount(text)).toBe(expected);
  });

  it('reads a stray space after the decimal comma behind thousands groups, and three-decimal dinars', () => {
    expect(parsePrice('1.249, 90 TL')).toMatchObject({ amount: '1249.90', currency: 'TRY' });
    expect(parsePrice('$1,249. 90')).toMatchObject({ amount: '1249.90' });
    // Groups only: "1.249.990" is no decimal with a stray space.
    expect(parsePrice('1.249.990 đ').amount).toBe('1249990');
    // A list of sizes is no price with a stray space.
    expect(parsePrice('38 ,39 ,40').amount).toBe('38');
    expect(parsePrice('KD 15.500')).toMatchObject({ amount: '15.500', currency: 'KWD' });
    expect(parsePrice('OMR 5.500').amount).toBe('5.500');
    expect(parsePrice('KD 1,250').amount).toBe('1250');
    // Tunisian dinars are written with a decimal comma: three digits after it are millimes.
    expect(parsePrice('45,500 DT')).toMatchObject({ amount: '45.500', currency: 'TND' });
    expect(parsePrice('1.250,000 DT').amount).toBe('1250.000');
    expect(parsePrice('1 250,000 TND').amount).toBe('1250.000');
    // Two decimals as usual: "€1.299" is still a thousand.
    expect(parsePrice('€1.299').amount).toBe('1299');
  });

  it('reads the euro sign as the decimal point when two digits follow it, as French shops print prices', () => {
    expect(parsePrice('64€99')).toMatchObject({ amount: '64.99', currency: 'EUR' });
    expect(parsePrice('1.249€90').amount).toBe('1249.90');
    expect(parsePrice('5€99 /kg').amount).toBe('5.99');
    // Apart from the digits, or followed by another number, the symbol is no decimal point.
    expect(parsePrice('64 €99').amount).toBe('64');
    expect(parsePrice('12€ 99 livraison').amount).toBe('12');
    expect(parsePrice('100€ 500').amount).toBe('100');
    expect(parsePrice('10€250').amount).toBe('10');
  });

  it('reads local abbreviations of less common currencies', () => {
    expect(parsePrice('LL 150,000')).toMatchObject({ amount: '150000', currency: 'LBP' });
    expect(parsePrice('15 000 F CFA').currency).toBe('XOF');
    expect(parsePrice('Birr 1,200').currency).toBe('ETB');
    expect(parsePrice('LE 250').currency).toBe('EGP');
    expect(parsePrice('NIS 199')).toMatchObject({ amount: '199', currency: 'ILS' });
    expect(parsePrice('L. 129.00').currencyText).toBe('L.');
  });

  it('keeps a list of numbers apart when a comma and a space separate them', () => {
    expect(amount('Sizes 38, 39, 40')).toBe('38');
    expect(amount('38, 39, 40 €')).toBe('40');
  });

  it('skips percentages and prefers the number next to the currency', () => {
    expect(amount('20% off: 15,00 €')).toBe('15.00');
    expect(amount('Save 20 % now')).toBeNull();
    expect(amount('2 x 19,99 €')).toBe('19.99');
    expect(amount('12.99 (150 reviews)')).toBe('12.99');
  });

  it('reads "free" as zero and text without numbers as no price', () => {
    expect(amount('Free!')).toBe('0');
    expect(amount('Kostenlos')).toBe('0');
    expect(amount('Call for price')).toBeNull();
    expect(amount('')).toBeNull();
  });

  it('follows a given decimal separator', () => {
    expect(amount('423.923 KD', { decimalSeparator: '.' })).toBe('423.923');
    expect(amount('1.234', { decimalSeparator: ',' })).toBe('1234');
    expect(amount('1,234', { decimalSeparator: ',' })).toBe('1.234');
  });

  it('stays fast and bounded on hostile input', () => {
    const started = performance.now();
    parsePrice(`${'1 '.repeat(100_000)}€`);
    parsePrice('9'.repeat(1_000_000));
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('parsePrice currencies', () => {
  it.each([
    ['29,99 €', '€', 'EUR'],
    ['$ 22.00', '$', 'USD'],
    ['£9.99', '£', 'GBP'],
    ['¥1,200', '¥', 'JPY'],
    ['₹ 499', '₹', 'INR'],
    ['1 299 ₽', '₽', 'RUB'],
    ['12,000원', '원', 'KRW'],
    ['45,00 zł', 'zł', 'PLN'],
    ['Pris från 172 kr', 'kr', 'SEK'],
    ['9 800 Kč', 'Kč', 'CZK'],
    ['R$260,00', 'R$', 'BRL'],
    ['CHF 47.00', 'CHF', 'CHF'],
    ['1128240 рублей', 'руб', 'RUB'],
    ['5 870 грн.', 'грн.', 'UAH'],
    ['749,00 Euro', 'Euro', 'EUR'],
    ['US$:12.99', 'US$', 'USD'],
    ['A$190.00', 'A$', 'AUD'],
    ['EUR29.66 (inc VAT 20%)', 'EUR', 'EUR'],
    ['NZD $100.70', 'NZD', 'NZD'],
    ['Rs. 3,324', 'Rs.', 'INR'],
    ['RS. 1,299', 'RS.', 'INR'],
    ['KSh 1,200', 'KSh', 'KES'],
    ['TSh 20,000', 'TSh', 'TZS'],
    ['Lek 1 500', 'Lek', 'ALL'],
    ['GH₵ 20.00', 'GH₵', 'GHS'],
    ['B/. 25.00', 'B/.', 'PAB'],
    ['MOP$ 120', 'MOP$', 'MOP'],
    ['120 ман.', 'ман.', 'AZN'],
    ['1 200 դր.', 'դր.', 'AMD'],
    ['Q 199.00', 'Q', 'GTQ'],
    ['5 Kn', 'Kn', 'HRK'],
    ['12 000 сум', 'сум', 'UZS'],
    ['VNĐ 250.000', 'VNĐ', 'VND'],
  ])('%s → %s (%s)', (text, currencyText, iso) => {
    expect(parsePrice(text)).toMatchObject({ currencyText, currency: iso });
  });

  it('looks in the hint when the price has no currency, the price first otherwise', () => {
    expect(parsePrice('39.95', { currency: 'Price From £ 39.95' })).toEqual({
      amount: '39.95',
      currency: 'GBP',
      currencyText: '£',
    });
    expect(parsePrice('£54.17', { currency: 'USD' })).toMatchObject({ currencyText: '£', currency: 'GBP' });
    expect(parsePrice('23,40', { currency: 'DKK' })).toMatchObject({ currency: 'DKK', currencyText: 'DKK' });
  });

  it('resolves shared symbols with a code nearby', () => {
    expect(parsePrice('$12 CAD').currency).toBe('CAD');
    expect(parsePrice('$12', { currency: 'AUD' }).currency).toBe('AUD');
  });

  it('does not take words for currencies', () => {
    expect(parsePrice('129.900', { currency: 'RENAULT' }).currency).toBeNull();
    expect(parsePrice('17.90', { currency: "ht / L'unité" }).currency).toBeNull();
    expect(parsePrice('ALL ITEMS 12.00').currency).toBeNull();
    expect(parsePrice('12.00 TOP').currency).toBe('TOP');
    // Single-letter symbols count only as the first thing before the amount.
    expect(parsePrice('Size L 42').currencyText).toBeNull();
    expect(parsePrice('42 Q').currencyText).toBeNull();
    expect(parsePrice('Q 42').currencyText).toBe('Q');
  });

  it('lets a loose word before the amount give way to a currency right after it', () => {
    // "Nu" is Danish for "now" before the kroner, and the ngultrum's symbol alone.
    expect(parsePrice('Nu 279,00 kr.')).toMatchObject({ amount: '279.00', currency: 'DKK' });
    expect(parsePrice('Nu. 279').currency).toBe('BTN');
    // Another amount of the same currency later on changes nothing.
    expect(parsePrice('Rs. 1,299 (Rs. 99 off)').amount).toBe('1299');
  });
});

describe('currencyToIso / isoFromText', () => {
  it('maps markers, codes and schema-style URLs', () => {
    expect(currencyToIso('€')).toBe('EUR');
    expect(currencyToIso('kr', 'NOK')).toBe('NOK');
    expect(currencyToIso('kr', 'EUR')).toBe('SEK');
    expect(currencyToIso('nonsense')).toBeNull();
    expect(isoFromText('eur')).toBe('EUR');
    expect(isoFromText('https://www.example.org/currency/GBP')).toBe('GBP');
    expect(isoFromText('Preis in Euro')).toBe('EUR');
    expect(isoFromText('')).toBeNull();
  });
});
