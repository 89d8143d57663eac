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

/**
 * Opens the first sheet of a workbook (or the one named by `sheet`).
 * @throws {InputError} when the ZIP is not a workbook, the sheet does not exist, or it is empty
 */
export async function openXlsx(path: string, file: string, options: OpenXlsxOptions = {}): Promise<CsvSource> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "emit" });
  const sheets = reader[Symbol.asyncIterator]();
  const seen: string[] = [];
  let sheet: (AsyncIterable<ExcelJS.Row> & { name: string }) | undefined;
  try {
    for (let next = await sheets.next(); !next.done; next = await sheets.next()) {
      const candidate = next.value as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      seen.push(candidate.name);
      if (options.sheet === undefined || candidate.name === options.sheet) {
        sheet = candidate;
        break;
      }
      // skip this sheet's rows to reach the next one
      for await (const _row of candidate) void _row;
    }
  } catch (error) {
    throw new InputError({ file }, "is a ZIP file but not an Excel workbook that can be read", { hint: "open it in Excel and save it as .xlsx or CSV UTF-8", cause: error });
  }
  if (!sheet) {
    throw new InputError({ file }, `has no sheet named "${options.sheet}"; sheets are: ${seen.join(", ")}`, { hint: "pass one of these names to --sheet" });
  }
  const rows = sheet[Symbol.asyncIterator]();
  const toRecord = (row: ExcelJS.Row): CsvRecord => {
    const values = (row.values as unknown[]).slice(1).map(cellText);
    return { values, line: row.number };
  };
  const pending: CsvRecord[] = [];
  while (pending.length < 3) {
    const next = await rows.next();
    if (next.done) break;
    const record = toRecord(next.value);
    if (record.values.some((v) => v.trim() !== "")) pending.push(record);
  }
  if (pending.length === 0) throw new InputError({ file }, `sheet "${sheet.name}" is empty`, { hint: "name the sheet with the data with --sheet" });
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
        for (let next = await rows.next(); !next.done; next = await rows.next()) {
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
