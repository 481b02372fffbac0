import { minorUnitsOf } from '../../core/currency-digits.ts';

/**
 * Currency markers as shops write them, and how they map to ISO 4217.
 *
 * "safe" markers are unambiguous wherever they appear; "loose" ones are short words or
 * letters that also occur in ordinary text ("R", "kr", "TL", "ALL"), so they only count
 * next to a number or when they are the whole string.
 */
interface Marker {
  text: string;
  iso: string | null;
  /** Other currencies that write the same marker; a caller's preferred currency among them wins. */
  alt?: readonly string[];
  loose?: boolean;
  caseInsensitive?: boolean;
  /** May start a longer word: "руб" in "рублей". */
  prefix?: boolean;
  /**
   * A single letter ("Q" for the quetzal, "K" for the kina): counts only at the very start of
   * the text, right before a number, where no word or size label can be meant.
   */
  leading?: boolean;
}

const DOLLARS = [
  'USD',
  'CAD',
  'AUD',
  'NZD',
  'SGD',
  'HKD',
  'MXN',
  'ARS',
  'CLP',
  'COP',
  'TWD',
  'UYU',
  'JMD',
  'TTD',
  'BSD',
  'BBD',
  'FJD',
  'LRD',
  'NAD',
  'BND',
  'XCD',
];
const KRONER = ['SEK', 'NOK', 'DKK', 'ISK'];
const POUNDS = ['GBP', 'EGP', 'GIP', 'FKP', 'SHP', 'LBP', 'SYP', 'SSP', 'SDG'];
const RUPEES = ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR'];
const RIALS = ['SAR', 'QAR', 'OMR', 'YER', 'IRR'];

const SYMBOLS: Marker[] = [
  { text: '€', iso: 'EUR' },
  { text: '$', iso: 'USD', alt: DOLLARS },
  { text: '£', iso: 'GBP', alt: POUNDS },
  { text: '₤', iso: 'GBP', alt: POUNDS },
  { text: '¥', iso: 'JPY', alt: ['JPY', 'CNY'] },
  { text: '￥', iso: 'JPY', alt: ['JPY', 'CNY'] },
  { text: '円', iso: 'JPY' },
  { text: '元', iso: 'CNY' },
  { text: '₹', iso: 'INR' },
  { text: '₨', iso: 'INR', alt: RUPEES },
  { text: '₽', iso: 'RUB' },
  { text: '₩', iso: 'KRW' },
  { text: '원', iso: 'KRW' },
  { text: '₪', iso: 'ILS' },
  { text: '₫', iso: 'VND' },
  { text: '₴', iso: 'UAH' },
  { text: '₺', iso: 'TRY' },
  { text: '₦', iso: 'NGN' },
  { text: '₱', iso: 'PHP' },
  { text: '฿', iso: 'THB' },
  { text: '₡', iso: 'CRC' },
  { text: '₲', iso: 'PYG' },
  { text: '₵', iso: 'GHS' },
  { text: '₸', iso: 'KZT' },
  { text: '₼', iso: 'AZN' },
  { text: '₾', iso: 'GEL' },
  { text: '₭', iso: 'LAK' },
  { text: '₮', iso: 'MNT' },
  { text: '៛', iso: 'KHR' },
  { text: '৳', iso: 'BDT' },
  { text: '₶', iso: null },
  { text: '﷼', iso: 'SAR', alt: RIALS },
  { text: 'US$', iso: 'USD' },
  { text: 'U$S', iso: 'USD' },
  { text: 'A$', iso: 'AUD' },
  { text: 'AU$', iso: 'AUD' },
  { text: 'C$', iso: 'CAD' },
  { text: 'CA$', iso: 'CAD' },
  { text: 'CAN$', iso: 'CAD' },
  { text: 'NZ$', iso: 'NZD' },
  { text: 'HK$', iso: 'HKD' },
  { text: 'S$', iso: 'SGD' },
  { text: 'SG$', iso: 'SGD' },
  { text: 'R$', iso: 'BRL' },
  { text: 'MX$', iso: 'MXN' },
  { text: 'NT$', iso: 'TWD' },
  { text: 'RD$', iso: 'DOP' },
  { text: '$U', iso: 'UYU' },
  { text: 'E£', iso: 'EGP' },
  // Symbols of the Unicode currency block and full-width forms that shops still write.
  { text: '₠', iso: null },
  { text: '₢', iso: null },
  { text: '₣', iso: 'FRF' },
  { text: '₥', iso: null },
  { text: '₧', iso: 'ESP' },
  { text: '₯', iso: 'GRD' },
  { text: '₰', iso: null },
  { text: '₳', iso: null },
  { text: '₷', iso: null },
  { text: '₻', iso: null },
  { text: '₿', iso: null },
  { text: '৲', iso: 'BDT' },
  { text: '﹩', iso: 'USD', alt: DOLLARS },
  { text: '＄', iso: 'USD', alt: DOLLARS },
  { text: '￡', iso: 'GBP', alt: POUNDS },
  { text: '￦', iso: 'KRW' },
  { text: '֏', iso: 'AMD' },
  { text: '؋', iso: 'AFN' },
  // Dollars and others written with a country prefix, as CLDR and shops in those countries do.
  { text: 'CN¥', iso: 'CNY' },
  { text: 'JP¥', iso: 'JPY' },
  { text: 'RMB', iso: 'CNY' },
  { text: 'CL$', iso: 'CLP' },
  { text: 'CO$', iso: 'COP' },
  { text: 'COL$', iso: 'COP' },
  { text: 'AR$', iso: 'ARS' },
  { text: 'Mex$', iso: 'MXN' },
  { text: 'BZ$', iso: 'BZD' },
  { text: 'BN$', iso: 'BND' },
  { text: 'Bds$', iso: 'BBD' },
  { text: 'BD$', iso: 'BMD' },
  { text: 'CV$', iso: 'CVE' },
  { text: 'J$', iso: 'JMD' },
  { text: 'JA$', iso: 'JMD' },
  { text: 'TT$', iso: 'TTD' },
  { text: 'N$', iso: 'NAD' },
  { text: 'MOP$', iso: 'MOP' },
  { text: 'T$', iso: 'TOP' },
  { text: 'WS$', iso: 'WST' },
  { text: 'SI$', iso: 'SBD' },
  { text: 'FJ$', iso: 'FJD' },
  { text: 'EC$', iso: 'XCD' },
  { text: 'L$', iso: 'LRD' },
  { text: 'G$', iso: 'GYD' },
  { text: 'GY$', iso: 'GYD' },
  { text: 'Z$', iso: 'ZWL' },
  { text: '$b', iso: 'BOB' },
  { text: 'GH₵', iso: 'GHS' },
  { text: 'GH¢', iso: 'GHS' },
  { text: 'B/.', iso: 'PAB' },
  { text: 'Bs.S', iso: 'VES' },
  { text: 'Bs.F', iso: 'VEF' },
  { text: 'BsF', iso: 'VEF' },
  { text: 'BsS', iso: 'VES' },
  { text: 'NAƒ', iso: 'ANG' },
  { text: 'ƒ', iso: 'AWG', alt: ['AWG', 'ANG'] },
  { text: 'VNĐ', iso: 'VND' },
  { text: 'VNđ', iso: 'VND' },
  { text: 'vnđ', iso: 'VND' },
  // Native abbreviations in other scripts.
  { text: 'ش.ج', iso: 'ILS' },
  { text: 'ש"ח', iso: 'ILS' },
  { text: 'ש״ח', iso: 'ILS' },
  { text: 'د.ب', iso: 'BHD' },
  { text: 'د.ج', iso: 'DZD' },
  { text: 'دج', iso: 'DZD' },
  { text: 'د.ع', iso: 'IQD' },
  { text: 'د.أ', iso: 'JOD' },
  { text: 'د.ا', iso: 'JOD' },
  { text: 'د.ل', iso: 'LYD' },
  { text: 'د.م.', iso: 'MAD' },
  { text: 'د.م', iso: 'MAD' },
  { text: 'د.ت', iso: 'TND' },
  { text: 'ر.ع.', iso: 'OMR' },
  { text: 'ر.ع', iso: 'OMR' },
  { text: 'ر.ق', iso: 'QAR' },
  { text: 'ر.ي', iso: 'YER' },
  { text: 'ل.ل', iso: 'LBP' },
  { text: 'ل.س', iso: 'SYP' },
  { text: 'ریال', iso: 'IRR' },
  { text: 'دينار', iso: null },
  { text: 'دينار كويتي', iso: 'KWD' },
  { text: 'افغانی', iso: 'AFN' },
  { text: 'դր.', iso: 'AMD' },
  { text: 'դր', iso: 'AMD' },
  { text: 'ლ', iso: 'GEL' },
  { text: 'ლარი', iso: 'GEL' },
  { text: 'บาท', iso: 'THB' },
  { text: 'ກີບ', iso: 'LAK' },
  { text: 'រៀល', iso: 'KHR' },
  { text: 'ကျပ်', iso: 'MMK' },
  { text: 'रु.', iso: 'NPR', alt: RUPEES },
  { text: 'रु', iso: 'NPR', alt: RUPEES },
  { text: 'रू', iso: 'NPR', alt: RUPEES },
  { text: 'රු', iso: 'LKR' },
  { text: 'ரூ', iso: 'LKR', alt: RUPEES },
  { text: 'টাকা', iso: 'BDT' },
  { text: 'дин.', iso: 'RSD', caseInsensitive: true },
  { text: 'ден.', iso: 'MKD', caseInsensitive: true },
  { text: 'сўм', iso: 'UZS', caseInsensitive: true },
  { text: 'сум', iso: 'UZS', caseInsensitive: true },
  { text: "so'm", iso: 'UZS', caseInsensitive: true },
  { text: 'soʻm', iso: 'UZS', caseInsensitive: true },
  { text: 'тңг', iso: 'KZT', caseInsensitive: true },
  { text: 'тнг', iso: 'KZT', caseInsensitive: true },
  { text: 'ман.', iso: 'AZN', caseInsensitive: true },
  { text: 'манат', iso: 'AZN', alt: ['AZN', 'TMT'], caseInsensitive: true, prefix: true },
  { text: 'лей', iso: 'MDL', alt: ['MDL', 'RON'], caseInsensitive: true },
  { text: 'төг', iso: 'MNT', caseInsensitive: true },
  { text: 'zł', iso: 'PLN' },
  { text: 'Kč', iso: 'CZK' },
  { text: 'руб', iso: 'RUB', caseInsensitive: true, prefix: true },
  { text: 'руб.', iso: 'RUB', caseInsensitive: true },
  { text: 'грн', iso: 'UAH', caseInsensitive: true, prefix: true },
  { text: 'грн.', iso: 'UAH', caseInsensitive: true },
  { text: 'лв', iso: 'BGN', caseInsensitive: true },
  { text: 'лв.', iso: 'BGN', caseInsensitive: true },
  { text: 'ден', iso: 'MKD', caseInsensitive: true },
  { text: 'тенге', iso: 'KZT', caseInsensitive: true },
  { text: 'сом', iso: 'KGS', caseInsensitive: true },
  { text: 'euro', iso: 'EUR', caseInsensitive: true },
  { text: 'euros', iso: 'EUR', caseInsensitive: true },
  { text: 'dinara', iso: 'RSD', caseInsensitive: true },
  { text: 'dinar', iso: 'RSD', caseInsensitive: true },
  { text: 'tomans', iso: null, caseInsensitive: true },
  { text: 'toman', iso: null, caseInsensitive: true },
  { text: 'تومان', iso: null },
  { text: 'ريال', iso: 'SAR', alt: RIALS },
  { text: 'ر.س', iso: 'SAR' },
  { text: 'درهم', iso: 'AED', alt: ['AED', 'MAD'] },
  { text: 'د.إ', iso: 'AED' },
  { text: 'د.ك', iso: 'KWD' },
  { text: 'جنيه', iso: 'EGP' },
  { text: 'ج.م', iso: 'EGP' },
];

// Short words and letters that also occur in running text.
const LOOSE: Marker[] = [
  { text: 'kr', iso: 'SEK', alt: KRONER },
  { text: 'kr.', iso: 'DKK', alt: KRONER },
  { text: ':-', iso: 'SEK', alt: KRONER },
  { text: 'Fr.', iso: 'CHF' },
  { text: 'Fr', iso: 'CHF' },
  { text: 'SFr.', iso: 'CHF' },
  { text: 'lei', iso: 'RON', alt: ['RON', 'MDL'], caseInsensitive: true },
  { text: 'Ft', iso: 'HUF' },
  { text: 'Br', iso: 'BYN', alt: ['BYN', 'ETB'] },
  { text: 'Birr', iso: 'ETB' },
  { text: 'NIS', iso: 'ILS' },
  { text: 'LL', iso: 'LBP' },
  { text: 'L.L.', iso: 'LBP' },
  { text: 'LE', iso: 'EGP' },
  { text: 'L.E.', iso: 'EGP' },
  { text: 'F CFA', iso: 'XOF', alt: ['XAF', 'XOF'] },
  { text: 'TL', iso: 'TRY' },
  { text: 'KD', iso: 'KWD' },
  { text: 'BD', iso: 'BHD' },
  { text: 'QR', iso: 'QAR' },
  { text: 'Rp', iso: 'IDR' },
  { text: 'Rp.', iso: 'IDR' },
  { text: 'Rs', iso: 'INR', alt: RUPEES },
  { text: 'Rs.', iso: 'INR', alt: RUPEES },
  { text: 'RM', iso: 'MYR' },
  { text: 'R', iso: 'ZAR' },
  { text: 'KSh', iso: 'KES' },
  { text: 'kn', iso: 'HRK' },
  { text: 'KM', iso: 'BAM' },
  { text: 'din', iso: 'RSD', caseInsensitive: true },
  { text: 'din.', iso: 'RSD', caseInsensitive: true },
  { text: 'Bs', iso: 'VES', alt: ['VES', 'BOB'] },
  { text: 'Bs.', iso: 'VES', alt: ['VES', 'BOB'] },
  { text: 'S/', iso: 'PEN' },
  { text: 'S/.', iso: 'PEN' },
  { text: 'Gs', iso: 'PYG' },
  { text: 'FCFA', iso: 'XAF', alt: ['XAF', 'XOF'] },
  { text: 'CFA', iso: 'XOF', alt: ['XAF', 'XOF'] },
  { text: 'đ', iso: 'VND' },
  { text: 'р.', iso: 'RUB', caseInsensitive: true },
  { text: 'р', iso: 'RUB', caseInsensitive: true },
  { text: 'zl', iso: 'PLN', caseInsensitive: true },
  { text: 'Kc', iso: 'CZK' },
  // Local abbreviations of less common currencies (CLDR's narrow and local symbols).
  { text: 'Kr', iso: 'SEK', alt: KRONER },
  { text: 'Kr.', iso: 'DKK', alt: KRONER },
  { text: 'Skr', iso: 'SEK' },
  { text: 'Nkr', iso: 'NOK' },
  { text: 'Dkr', iso: 'DKK' },
  { text: 'Ikr', iso: 'ISK' },
  { text: 'SFr', iso: 'CHF' },
  { text: 'sFr', iso: 'CHF' },
  { text: 'sFr.', iso: 'CHF' },
  { text: 'fr.', iso: 'CHF' },
  { text: 'Kn', iso: 'HRK' },
  { text: 'KN', iso: 'HRK' },
  { text: 'Lek', iso: 'ALL' },
  { text: 'Lekë', iso: 'ALL' },
  { text: 'Lt', iso: 'LTL' },
  { text: 'Ls', iso: 'LVL' },
  { text: 'Sk', iso: 'SKK' },
  { text: 'DM', iso: 'DEM' },
  { text: 'Pts', iso: 'ESP' },
  { text: 'Pta', iso: 'ESP' },
  { text: 'ptas', iso: 'ESP' },
  { text: 'YTL', iso: 'TRY' },
  { text: 'RS', iso: 'INR', alt: RUPEES },
  { text: 'RS.', iso: 'INR', alt: RUPEES },
  { text: 'Re', iso: 'INR', alt: RUPEES },
  { text: 'Re.', iso: 'INR', alt: RUPEES },
  { text: 'SLRs', iso: 'LKR' },
  { text: 'NRs', iso: 'NPR' },
  { text: 'NPRs', iso: 'NPR' },
  { text: 'PKRs', iso: 'PKR' },
  { text: 'MURs', iso: 'MUR' },
  { text: 'SRe', iso: 'SCR' },
  { text: 'Tk', iso: 'BDT' },
  { text: 'TK', iso: 'BDT' },
  { text: 'Nu.', iso: 'BTN' },
  { text: 'Nu', iso: 'BTN' },
  { text: 'Rf', iso: 'MVR' },
  { text: 'MRf', iso: 'MVR' },
  { text: 'Ks', iso: 'MMK' },
  { text: 'Kip', iso: 'LAK' },
  { text: 'Php', iso: 'PHP' },
  { text: 'PhP', iso: 'PHP' },
  { text: 'VT', iso: 'VUV' },
  { text: 'Ksh', iso: 'KES' },
  { text: 'KShs', iso: 'KES' },
  { text: 'Kshs', iso: 'KES' },
  { text: 'TSh', iso: 'TZS' },
  { text: 'Tsh', iso: 'TZS' },
  { text: 'USh', iso: 'UGX' },
  { text: 'Ush', iso: 'UGX' },
  { text: 'Sh', iso: null, alt: ['KES', 'TZS', 'UGX', 'SOS'] },
  { text: 'Sh.', iso: null, alt: ['KES', 'TZS', 'UGX', 'SOS'] },
  { text: 'FBu', iso: 'BIF' },
  { text: 'Fdj', iso: 'DJF' },
  { text: 'FG', iso: 'GNF' },
  { text: 'FRw', iso: 'RWF' },
  { text: 'Rwf', iso: 'RWF' },
  { text: 'CF', iso: 'KMF' },
  { text: 'MK', iso: 'MWK' },
  { text: 'MT', iso: 'MZN' },
  { text: 'MTn', iso: 'MZN' },
  { text: 'Kz', iso: 'AOA' },
  { text: 'ZK', iso: 'ZMW' },
  { text: 'Le', iso: 'SLE', alt: ['SLE', 'SLL'] },
  { text: 'Db', iso: 'STN' },
  { text: 'Nfk', iso: 'ERN' },
  { text: 'Ar', iso: 'MGA' },
  { text: 'UM', iso: 'MRU' },
  { text: 'DA', iso: 'DZD' },
  { text: 'DT', iso: 'TND' },
  { text: 'LD', iso: 'LYD' },
  { text: 'Dhs', iso: 'AED' },
  { text: 'Dh', iso: 'MAD', alt: ['MAD', 'AED'] },
  { text: 'DH', iso: 'MAD', alt: ['MAD', 'AED'] },
  { text: 'SR', iso: 'SAR' },
  { text: 'JD', iso: 'JOD' },
  { text: 'YR', iso: 'YER' },
  { text: 'Afl', iso: 'AWG' },
  { text: 'NAf', iso: 'ANG' },
  { text: 'Afs', iso: 'AFN' },
  { text: 'Bs.S.', iso: 'VES' },
  { text: 'Bs.F.', iso: 'VEF' },
  { text: 'Eur', iso: 'EUR' },
  { text: 'Usd', iso: 'USD' },
  { text: 'Gbp', iso: 'GBP' },
  { text: 'Pln', iso: 'PLN' },
  { text: 'Chf', iso: 'CHF' },
  { text: 'дин', iso: 'RSD', caseInsensitive: true },
  { text: 'ман', iso: 'AZN', caseInsensitive: true },
  { text: 'тг', iso: 'KZT', caseInsensitive: true },
  // Single letters: only as the first thing in the text, right before the amount.
  { text: 'Q', iso: 'GTQ', leading: true },
  { text: 'L', iso: null, alt: ['HNL', 'ALL', 'LSL', 'MDL', 'RON'], leading: true },
  { text: 'L.', iso: null, alt: ['HNL', 'ALL', 'LSL', 'MDL', 'RON'], leading: true },
  { text: 'K', iso: null, alt: ['PGK', 'MMK', 'ZMW', 'MWK'], leading: true },
  { text: 'P', iso: null, alt: ['BWP', 'PHP'], leading: true },
  { text: 'G', iso: 'HTG', leading: true },
];

const ISO_CODES = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
  'CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
  'GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
  'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK ' +
  'NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS ' +
  'SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD ' +
  'XOF XPF YER ZAR ZMW ZWL ' +
  // Retired but still seen on old pages and in archives.
  'ATS BEF DEM ESP FIM FRF GRD IEP ITL LTL LVL NLG PTE RUR SKK SIT EEK CYP MTL BYR VEF'
).split(' ');

// Codes that are also English words or common abbreviations on shop pages.
const WORDLIKE_CODES = new Set([
  'ALL',
  'AMD',
  'BAM',
  'BOB',
  'CAD',
  'CUP',
  'GEL',
  'MAD',
  'MOP',
  'PEN',
  'PHP',
  'SOS',
  'TOP',
  'TRY',
  'ANG',
  'PAB',
  'LAK',
  'SHP',
  'ERN',
  'MVR',
  'DOP',
  'FIM',
  'ESP',
  'ITL',
  'SIT',
]);
// Lower-case forms shops actually write ("140,00 pln"); the rest are too word-like in lower case.
const LOWERCASE_CODES = [
  'eur',
  'usd',
  'gbp',
  'pln',
  'chf',
  'czk',
  'sek',
  'nok',
  'dkk',
  'huf',
  'ron',
  'rub',
  'uah',
  'bgn',
  'aud',
  'nzd',
  'jpy',
  'cny',
  'inr',
];

const MARKERS: Marker[] = [
  ...SYMBOLS,
  ...LOOSE.map((m) => ({ ...m, loose: true })),
  ...ISO_CODES.map((code) => ({ text: code, iso: code, loose: WORDLIKE_CODES.has(code) })),
  ...LOWERCASE_CODES.map((code) => ({ text: code, iso: code.toUpperCase() })),
];

const byKey = new Map<string, Marker>();
for (const marker of MARKERS) {
  const key = marker.caseInsensitive ? marker.text.toLowerCase() : marker.text;
  if (!byKey.has(key)) byKey.set(key, marker);
}

const LETTER = /\p{L}/u;

function isLetter(codePoint: number): boolean {
  if (codePoint < 128) return (codePoint | 32) >= 97 && (codePoint | 32) <= 122;
  return LETTER.test(String.fromCodePoint(codePoint));
}

/** Whether the code point that ends just before `index` is a letter. */
function letterBefore(text: string, index: number): boolean {
  if (index === 0) return false;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return isLetter(text.codePointAt(start)!);
}

function letterAt(text: string, index: number): boolean {
  return index < text.length && isLetter(text.codePointAt(index)!);
}

/** One case of a marker list, for comparing a character of the text with the marker's. */
function fold(char: string, caseInsensitive: boolean): string {
  if (!caseInsensitive) return char;
  const lower = char.toLowerCase();
  return lower.length === char.length ? lower : char;
}

interface Entry {
  /** The marker's text, folded when the list is case-insensitive. */
  text: string;
  /** Must not continue a word (the marker starts with a letter). */
  wordStart: boolean;
  /** Must not be followed by a letter (ends with one and is no prefix). */
  wordEnd: boolean;
  /** Only at the start of the text, right before a number (see Marker.leading). */
  leading: boolean;
}

const LEADING_GAP = /^\s*$/;
// The amount, not the start of a code: "L 120" or "Q199.00", not "L10SK3ASHH41B".
const NUMBER_AFTER = /^[\s:]{0,3}\d[\d\s.,']*(?![\p{L}\d])/u;

/**
 * Finds markers in text: at the first position where any matches, the longest one; a marker
 * made of letters only counts as a whole word. A scan over an index by first character,
 * because one regular expression of ~300 alternatives costs V8 about 100 µs to recompile,
 * which it does after every full garbage collection.
 */
class MarkerScanner {
  /** By the first UTF-16 unit, in both cases when case-insensitive; longest markers first. */
  readonly #byFirst = new Map<number, Entry[]>();

  constructor(
    markers: Marker[],
    private readonly caseInsensitive: boolean,
  ) {
    for (const { text, prefix, leading } of markers.toSorted((a, b) => b.text.length - a.text.length)) {
      const folded = [...text].map((c) => fold(c, caseInsensitive)).join('');
      const entry = {
        text: folded,
        wordStart: LETTER.test(String.fromCodePoint(text.codePointAt(0)!)),
        wordEnd: /\p{L}$/u.test(text) && !prefix,
        leading: Boolean(leading),
      };
      const first = folded[0]!;
      const keys = caseInsensitive ? new Set([first, first.toUpperCase()]) : [first];
      for (const key of keys) {
        if (key.length !== 1) continue;
        const list = this.#byFirst.get(key.charCodeAt(0));
        if (list) list.push(entry);
        else this.#byFirst.set(key.charCodeAt(0), [entry]);
      }
    }
  }

  /** The first marker at or after `from`, or null. */
  find(text: string, from: number): CurrencyMatch | null {
    for (let i = from; i < text.length; i++) {
      const list = this.#byFirst.get(text.charCodeAt(i));
      if (list === undefined) continue;
      for (const entry of list) {
        const end = i + entry.text.length;
        if (end > text.length || !this.#matches(text, i, entry.text)) continue;
        if (entry.wordStart && letterBefore(text, i)) continue;
        if (entry.wordEnd && letterAt(text, end)) continue;
        if (
          entry.leading &&
          !(LEADING_GAP.test(text.slice(0, i)) && NUMBER_AFTER.test(text.slice(end, end + 40)))
        )
          continue;
        return { text: text.slice(i, end), index: i, end };
      }
    }
    return null;
  }

  #matches(text: string, at: number, marker: string): boolean {
    if (!this.caseInsensitive) return text.startsWith(marker, at);
    for (let k = 0; k < marker.length; k++) {
      const char = text[at + k]!;
      if (char !== marker[k] && fold(char, true) !== marker[k]) return false;
    }
    return true;
  }
}

function scanner(loose: boolean, caseInsensitive: boolean): MarkerScanner {
  const chosen = MARKERS.filter(
    (m) => Boolean(m.loose) === loose && Boolean(m.caseInsensitive) === caseInsensitive,
  );
  return new MarkerScanner(chosen, caseInsensitive);
}

const SAFE_SCAN = [scanner(false, false), scanner(false, true)];
const LOOSE_SCAN = [scanner(true, false), scanner(true, true)];

export interface CurrencyMatch {
  text: string;
  index: number;
  end: number;
}

function nextToNumber(text: string, index: number, end: number): boolean {
  return (
    /^[\s:]{0,3}[\d.]/.test(text.slice(end, end + 4)) ||
    /\d[\s.,]{0,3}$/.test(text.slice(Math.max(0, index - 4), index))
  );
}

function onlyMarker(text: string, match: CurrencyMatch): boolean {
  return /^[\s\p{P}\p{S}\d]*$/u.test(text.slice(0, match.index) + text.slice(match.end));
}

function leftmost(text: string, scanners: MarkerScanner[], loose: boolean): CurrencyMatch | null {
  let best: CurrencyMatch | null = null;
  for (const scan of scanners) {
    for (let found = scan.find(text, 0); found; found = scan.find(text, found.end)) {
      if (loose && !nextToNumber(text, found.index, found.end) && !onlyMarker(text, found)) continue;
      if (!best || found.index < best.index || (found.index === best.index && found.end > best.end))
        best = found;
      break;
    }
  }
  return best;
}

/** The first safe currency marker in `text`, else the first loose one that stands next to a number. */
export function findCurrency(text: string, tier: 'safe' | 'loose'): CurrencyMatch | null {
  if (text === '') return null;
  return tier === 'safe' ? leftmost(text, SAFE_SCAN, false) : leftmost(text, LOOSE_SCAN, true);
}

function markerFor(text: string): Marker | undefined {
  const trimmed = text.trim();
  return byKey.get(trimmed) ?? byKey.get(trimmed.toLowerCase());
}

/**
 * ISO 4217 code for a currency marker ("€", "руб.", "US$", "eur"), or null. Markers shared by
 * several currencies ("$", "kr") resolve to `preferred` when it is one of them.
 */
export function currencyToIso(text: string, preferred?: string | null): string | null {
  const marker = markerFor(text);
  if (!marker) return null;
  if (preferred && marker.alt?.includes(preferred)) return preferred;
  return marker.iso;
}

/** ISO code from a free-form currency value: a code, a symbol, a schema.org-style URL, or text containing one. */
export function isoFromText(value: string, preferred?: string | null): string | null {
  let text = value.trim();
  if (text === '') return null;
  if (/^https?:\/\//i.test(text)) text = text.replace(/[/#]+$/, '').replace(/^.*[/#]/, '');
  const direct = currencyToIso(text, preferred);
  if (direct) return direct;
  const found = findCurrency(text, 'safe') ?? findCurrency(text, 'loose');
  return found ? currencyToIso(found.text, preferred) : null;
}

const ISO_SET = new Set(ISO_CODES);

/** Whether `code` is an ISO 4217 code (current or recently retired). */
export function isIsoCode(code: string): boolean {
  return ISO_SET.has(code);
}

/**
 * The currencies a marker may stand for when several write it the same way ("$": USD, CAD,
 * AUD, CLP…), the default first; empty for a marker that names one currency only.
 */
export function currencyAlternatives(text: string): string[] {
  const marker = markerFor(text);
  if (!marker?.alt) return [];
  return marker.iso ? [marker.iso, ...marker.alt.filter((c) => c !== marker.iso)] : [...marker.alt];
}

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY, 3 for KWD); 2 when unknown. */
export function minorDigits(currency: string | null | undefined): number {
  return currency && /^[A-Z]{3}$/.test(currency) ? minorUnitsOf(currency) : 2;
}
