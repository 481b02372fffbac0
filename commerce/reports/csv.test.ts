import { describe, expect, it } from 'vitest';
import { csvCell, reportCsv, reportFileName } from './csv.ts';

describe('CSV (RFC 4180) with a formula-injection guard', () => {
  it('quotes fields with commas, quotes, CR or LF, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('prefixes text a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""click"")"',
    );
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes amounts and counts as numbers (a negative net stays a number) and text guarded', () => {
    const csv = reportCsv({
      columns: [
        { key: 'period', label: 'Period', kind: 'period' },
        { key: 'merchant', label: 'Merchant, name', kind: 'text' },
        { key: 'orders', label: 'Orders', kind: 'count' },
        { key: 'net', label: 'Net', kind: 'money' },
      ],
      rows: [
        { period: '2024-04-01', merchant: '=Kettles', orders: 2, net: '-12.50' },
        { period: '2024-04-02', merchant: 'Tea "House"', orders: 0, net: '0.00' },
      ],
    });
    expect(csv).toBe(
      'Period,"Merchant, name",Orders,Net\r\n' +
        "2024-04-01,'=Kettles,2,-12.50\r\n" +
        '2024-04-02,"Tea ""House""",0,0.00\r\n',
    );
  });

  it('names the file after the report and its range', () => {
    expect(reportFileName({ name: 'sales', from: '2024-04-01', to: '2024-04-30', grain: 'week' })).toBe(
      'trawl-sales-2024-04-01-to-2024-04-30-week.csv',
    );
  });
});
