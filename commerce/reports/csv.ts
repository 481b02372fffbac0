import type { ReportResult } from './reports.ts';

/**
 * CSV as RFC 4180 has it: fields separated by commas, records by CRLF, a field quoted when it
 * holds a comma, a quote, CR or LF, quotes inside doubled. A text cell that a spreadsheet would
 * read as a formula (starting with = + - @, a tab or CR) is prefixed with ' (OWASP's guard
 * against CSV injection): shop names, categories and product titles come from crawled pages.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: numbers as they are, text guarded and quoted when it must be. */
export function csvCell(value: string | number | null | undefined, options: { text?: boolean } = {}): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if ((options.text ?? typeof value === 'string') && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(cells: ReadonlyArray<string>): string {
  return `${cells.join(',')}\r\n`;
}

/**
 * A report as CSV: a header of column labels, then one record per row. Amounts and counts are
 * written as plain numbers (a negative net is a number, not a formula); every other cell is text.
 */
export function reportCsv(report: Pick<ReportResult, 'columns' | 'rows'>): string {
  let out = csvRecord(report.columns.map((c) => csvCell(c.label)));
  for (const row of report.rows)
    out += csvRecord(
      report.columns.map((c) =>
        csvCell(row[c.key], { text: c.kind !== 'count' && c.kind !== 'money' && c.kind !== 'period' }),
      ),
    );
  return out;
}

/** A file name for the download: report, range and grain, nothing a header could choke on. */
export function reportFileName(report: Pick<ReportResult, 'name' | 'from' | 'to' | 'grain'>): string {
  return `trawl-${report.name}-${report.from}-to-${report.to}-${report.grain}.csv`.replace(
    /[^a-z0-9._-]/gi,
    '_',
  );
}
