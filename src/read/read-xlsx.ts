/**
 * Excel workbooks (.xlsx) → rows with their sheet row numbers, streamed with exceljs's
 * WorkbookReader (shared/ECOSYSTEM.md section 4: the only streaming reader; 345 MB RSS at 1M
 * rows where the `xlsx` package took 1.8 GB). Cells become the text a CSV export would hold.
 */
import ExcelJS from "exceljs";
import { InputError } from "../errors.js";
import { detectLayout } from "./detect-layout.js";
import type { CsvRecord, CsvSource, OpenCsvOptions } from "./read-csv.js";

const BATCH = 2048;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** A cell's value as text: numbers in full precision with a "." decimal, dates as ISO, formulas as their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const time = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() === 0 ? "" : ` ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
    return date + time;
  }
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string; formula?: string };
    if (v.richText) return v.richText.map((run) => run.text).join("");
    if ("result" in v) return cellText(v.result);
    if (v.error) return v.error;
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value);
}

export interface OpenXlsxOptions extends Pick<OpenCsvOptions, "layout"> {
  sheet?: string | undefined;
  /** The file's name does not say it is a workbook (e.g. a .csv). */
  renamed?: boolean;
}

/** A sheet's name and size, for `inspect` and for messages naming the other sheets. */
export interface SheetSummary {
  name: string;
  /** Rows with at least one non-empty cell. */
  rows: number;
  /** The widest row's number of cells. */
  columns: number;
}

/** Rows of a table's header have at least two non-empty cells; a title row ("Exported from …") has one. */
function isTableRow(record: CsvRecord): boolean {
  return record.values.filter((v) => v.trim() !== "").length >= 2;
}

function toRecord(row: ExcelJS.Row): CsvRecord {
  return { values: (row.values as unknown[]).slice(1).map(cellText), line: row.number };
}

/** How many leading rows are searched for a sheet's header (past title and note rows). */
const HEADER_SEARCH_ROWS = 20;

function openReader(path: string): AsyncIterator<AsyncIterable<ExcelJS.Row> & { name: string }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "emit" });
  return reader[Symbol.asyncIterator]() as unknown as AsyncIterator<AsyncIterable<ExcelJS.Row> & { name: string }>;
}

/**
 * Every sheet of a workbook with its size (reads the whole workbook).
 * @throws {InputError} when the ZIP is not a workbook
 */
export async function listSheets(path: string, file: string): Promise<SheetSummary[]> {
  const sheets: SheetSummary[] = [];
  try {
    const iterator = openReader(path);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const summary: SheetSummary = { name: next.value.name, rows: 0, columns: 0 };
      for await (const row of next.value) {
        const record = toRecord(row);
        if (record.values.some((v) => v.trim() !== "")) summary.rows++;
        summary.columns = Math.max(summary.columns, record.values.length);
      }
      sheets.push(summary);
    }
  } catch (error) {
    throw new InputError({ file }, "is a ZIP file but not an Excel workbook that can be read", { hint: "open it in Excel and save it as .xlsx or CSV UTF-8", cause: error });
  }
  return sheets;
}

/**
 * Opens a workbook's sheet: the one named by `sheet`, else the first that holds a table (a row
 * with two or more filled cells within its first rows; title rows above the header are skipped).
 * @throws {InputError} when the ZIP is not a workbook, the sheet does not exist, or no sheet has a table
 */
export async function openXlsx(path: string, file: string, options: OpenXlsxOptions = {}): Promise<CsvSource> {
  const sheets = openReader(path);
  const seen: string[] = [];
  const skipped: string[] = [];
  let sheet: (AsyncIterable<ExcelJS.Row> & { name: string }) | undefined;
  let rows: AsyncIterator<ExcelJS.Row> | undefined;
  const pending: CsvRecord[] = [];
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const candidate = next.value;
      seen.push(candidate.name);
      if (options.sheet !== undefined && candidate.name !== options.sheet) {
        // skip this sheet's rows to reach the next one
        for await (const _row of candidate) void _row;
        continue;
      }
      // the header: the first row with two or more cells, within the first rows
      const iterator = candidate[Symbol.asyncIterator]();
      pending.length = 0;
      let searched = 0;
      for (let row = await iterator.next(); !row.done && searched < HEADER_SEARCH_ROWS; row = await iterator.next()) {
        const record = toRecord(row.value);
        if (record.values.every((v) => v.trim() === "")) continue;
        searched++;
        if (pending.length === 0 && !isTableRow(record)) continue;
        pending.push(record);
        if (pending.length === 3) break;
      }
      if (pending.length > 0 || options.sheet !== undefined) {
        sheet = candidate;
        rows = iterator;
        break;
      }
      skipped.push(candidate.name);
      for (let row = await iterator.next(); !row.done; row = await iterator.next()) void row;
    }
  } catch (error) {
    throw new InputError({ file }, "is a ZIP file but not an Excel workbook that can be read", { hint: "open it in Excel and save it as .xlsx or CSV UTF-8", cause: error });
  }
  if (options.sheet !== undefined && !sheet) {
    throw new InputError({ file }, `has no sheet named "${options.sheet}"; sheets are: ${seen.join(", ")}`, { hint: "pass one of these names to --sheet" });
  }
  if (!sheet || !rows || pending.length === 0) {
    const which = options.sheet !== undefined ? `sheet "${options.sheet}" has` : `none of its sheets (${seen.map((n) => `"${n}"`).join(", ")}) has`;
    throw new InputError({ file }, `${which} a table: no row with a header of two or more columns`, { hint: options.sheet !== undefined ? "name the sheet with the data with --sheet" : "check that the data is in the workbook, or save the sheet as CSV UTF-8" });
  }
  const layout = detectLayout(pending.map((r) => r.values), options.layout);
  const headerRecords = pending.splice(0, layout.headerRows);
  const width = layout.names.length;
  return {
    path,
    file,
    format: {
      encoding: "utf-8",
      encodingGuessed: false,
      delimiter: ",",
      decimal: ".",
      headerRows: layout.headerRows,
      layout: layout.layout,
      sepLine: false,
      container: "xlsx",
      sheet: sheet.name,
      renamed: options.renamed === true,
      skippedSheets: skipped,
    },
    header: { line: headerRecords[0]!.line, values: layout.names },
    labels: layout.labels,
    rawHeader: headerRecords[0]!.values.map((v) => v.trim()),
    duplicateNames: layout.duplicates,
    records: {
      async *[Symbol.asyncIterator]() {
        // a row's trailing empty cells are not stored: pad to the header's width
        const fit = (r: CsvRecord) => (r.values.length < width ? { ...r, values: [...r.values, ...Array<string>(width - r.values.length).fill("")] } : r);
        let batch: CsvRecord[] = pending.map(fit);
        for (let next = await rows!.next(); !next.done; next = await rows!.next()) {
          batch.push(fit(toRecord(next.value)));
          if (batch.length >= BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      },
    },
  };
}
