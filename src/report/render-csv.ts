/**
 * CSV for spreadsheets and CRM imports: RFC 4180 quoting, and text cells that a spreadsheet would
 * run as a formula (starting with = + - @ tab or carriage return) prefixed with ' (OWASP, CWE-1236).
 * Control characters and bidirectional overrides are escaped (\u0007). Numbers are written as
 * numbers, untouched, except money, which is rounded to its currency's decimals.
 */
import { UsageError } from "../errors.js";
import { cellValue, isInterval, type Cell, type Column, type ReportDocument, type TableBlock } from "./document.js";

/** One cell: numbers as they are, text neutralised and quoted when needed, null as empty. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  // control characters (BEL, ANSI escapes) and bidirectional overrides from the data are written
  // visibly escaped, so a cell cannot ring, recolour a terminal or reverse what a reader sees
  const visible = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const text = /^[=+\-@\t\r]/.test(visible) ? `'${visible}` : visible;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: header, rows, CRLF line ends (RFC 4180). */
export function renderCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return [header, ...rows].map((row) => row.map((cell) => csvCell(cell)).join(",")).join("\r\n") + "\r\n";
}

/** ISO 4217 currencies whose amounts have no minor unit, or three decimals; every other has two. */
const NO_DECIMALS = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "¥", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMALS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

/** The decimals an amount of the currency is written with (2 when the currency is unknown). */
export function currencyDecimals(currency: string | null | undefined): number {
  const code = (currency ?? "").toUpperCase();
  return NO_DECIMALS.has(code) ? 0 : THREE_DECIMALS.has(code) ? 3 : 2;
}

/** Rounds half away from zero to `decimals` places; never -0. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return rounded === 0 ? 0 : rounded;
}

export interface DocumentCsvOptions {
  /** A section id ("nps") or a table ("drivers.importance"): that table alone, one column per field. */
  section?: string | undefined;
  /** Decimals of money amounts (see currencyDecimals). */
  moneyDecimals: number;
}

type CsvValue = string | number | null;

/** A cell's CSV values: raw numbers (money rounded to the currency), an interval as low and high. */
function csvValues(cell: Cell, column: Column, moneyDecimals: number): CsvValue[] {
  const { value, unit } = cellValue(cell);
  const own = unit ?? column.unit;
  const number = (v: number | null) => (v === null ? null : own === "money" || own === "signedMoney" ? roundTo(v, moneyDecimals) : v);
  if (column.interval) return isInterval(value) ? [number(value.low), number(value.high)] : [null, null];
  if (isInterval(value)) return [null];
  return [typeof value === "number" ? number(value) : value];
}

const csvColumns = (table: TableBlock) => table.columns.map((c, i) => [c, i] as const).filter(([c]) => c.only !== "people");
const headerOf = (column: Column) => (column.interval ? [`${column.key}_low`, `${column.key}_high`] : [column.key]);

/** The tables a document holds, as "section.table" names. */
export function tableNames(document: ReportDocument): string[] {
  return document.sections.flatMap((s) => s.blocks.filter((b): b is TableBlock => b.kind === "table").map((t) => `${s.id}.${t.id}`));
}

/**
 * The document's tables as CSV. With `section`, one table with a column per field; without, every
 * table in one long table of (section, table, row, label, column, value), so that one strict
 * RFC 4180 file holds the whole report.
 */
export function renderDocumentCsv(document: ReportDocument, options: DocumentCsvOptions): string {
  const tables = document.sections.flatMap((s) => s.blocks.filter((b): b is TableBlock => b.kind === "table").map((table) => ({ name: `${s.id}.${table.id}`, section: s.id, table })));
  if (options.section !== undefined) {
    const wanted = options.section;
    const matches = tables.filter((t) => t.name === wanted || t.section === wanted);
    if (matches.length !== 1) {
      const names = tables.map((t) => t.name);
      const what = matches.length === 0 ? `no table "${wanted}" in this report` : `section "${wanted}" has ${matches.length} tables`;
      throw new UsageError(`--section: ${what}; choose one of ${names.join(", ")}`);
    }
    const { table } = matches[0]!;
    const columns = csvColumns(table);
    return renderCsv(
      columns.flatMap(([c]) => headerOf(c)),
      table.rows.map((row) => columns.flatMap(([c, i]) => csvValues(row[i]!, c, options.moneyDecimals))),
    );
  }
  const rows: CsvValue[][] = [];
  for (const { section, table } of tables) {
    const columns = csvColumns(table);
    table.rows.forEach((row, r) => {
      const label = cellValue(row[0]!).value;
      for (const [column, i] of columns) {
        const values = csvValues(row[i]!, column, options.moneyDecimals);
        headerOf(column).forEach((key, k) => rows.push([section, table.id, r + 1, typeof label === "string" ? label : null, key, values[k] ?? null]));
      }
    });
  }
  return renderCsv(["section", "table", "row", "label", "column", "value"], rows);
}
