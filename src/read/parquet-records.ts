/**
 * A Parquet file's rows as records, their cells as text (as a CSV export of it would hold them),
 * read by DuckDB (the optional @duckdb/node-api): the aggregates of --finance-aggregates may come
 * as Parquet.
 */
import { availableParallelism } from "node:os";
import { DataError } from "../errors.js";
import { cellText, loadDuckdb, quote } from "./duckdb-finance.js";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { openCsv, type CsvFormat, type CsvRecord, type OpenCsvOptions } from "./read-csv.js";

/** The format of a Parquet input (its encoding and delimiter do not apply; a CSV export of it would be UTF-8 with commas). */
export const PARQUET_FORMAT: Readonly<CsvFormat> = Object.freeze({ encoding: "utf-8", encodingGuessed: false, delimiter: ",", decimal: ".", headerRows: 1, layout: "plain", sepLine: false, container: "parquet", sheet: null, renamed: false, skippedSheets: [] });

export interface ParquetRecords {
  header: string[];
  /** The rows, in order, a chunk at a time; line numbers count from 2, as if a header came first. */
  batches: AsyncIterable<CsvRecord[]>;
}

export async function readParquetRecords(path: string, file: string): Promise<ParquetRecords> {
  const duckdb = await loadDuckdb();
  const instance = await duckdb.DuckDBInstance.create(":memory:", { threads: String(availableParallelism()) });
  const connection = await instance.connect();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    connection.closeSync();
    instance.closeSync();
  };
  const fail = (error: unknown): never => {
    close();
    throw new DataError(`${file}: DuckDB could not read it as Parquet: ${(error as Error).message.split("\n")[0]}`, { hint: "export the query's result again, as Parquet or as CSV with its header" });
  };
  const stream = await connection.stream(`SELECT * FROM read_parquet(${quote(path)})`).catch(fail);
  const header = stream.columnNames();
  const batches = async function* (): AsyncGenerator<CsvRecord[]> {
    let line = 2;
    try {
      for (let chunk = await stream.fetchChunk().catch(fail); chunk !== null && chunk.rowCount > 0; chunk = await stream.fetchChunk().catch(fail)) {
        yield chunk.getRows().map((row) => ({ values: row.map(cellText), line: line++ }));
      }
    } finally {
      close();
    }
  };
  return { header, batches: batches() };
}

/**
 * One of the aggregates' files in a folder: `${name}.csv` (read as any CSV input) or, where there is
 * none, `${name}.parquet`; null when the folder has neither. `file` names it in messages with its
 * folder ("agg/customers.csv").
 */
export async function openAggregateFile(
  directory: string,
  name: string,
  options: OpenCsvOptions,
): Promise<{ file: string; header: string[]; headerLine: number; records: AsyncIterable<CsvRecord[]>; format: CsvFormat; size?: number | null | undefined; bytesRead?: (() => number) | undefined } | null> {
  const csv = join(directory, `${name}.csv`);
  const parquet = join(directory, `${name}.parquet`);
  if (existsSync(csv) || !existsSync(parquet)) {
    if (!existsSync(csv)) return null;
    const source = await openCsv(csv, options);
    return { file: join(basename(directory), `${name}.csv`), header: source.header.values, headerLine: source.header.line, records: source.records, format: source.format, size: source.size, bytesRead: source.bytesRead };
  }
  const file = join(basename(directory), `${name}.parquet`);
  const read = await readParquetRecords(parquet, file);
  return { file, header: read.header, headerLine: 1, records: read.batches, format: { ...PARQUET_FORMAT } };
}
