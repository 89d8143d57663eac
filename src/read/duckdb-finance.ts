/**
 * --engine duckdb: the finance file (CSV or Parquet) reduced in process by DuckDB
 * (@duckdb/node-api, an optional dependency, loaded only here), with the SQL of `loyalty sql`
 * (aggregates/sql.ts), to the aggregates `--finance-aggregates` reads, handed over as records.
 * DuckDB reads the file on every core and keeps its own memory (it spills to disk past its limit);
 * loyalty keeps only the respondents' sums.
 *
 * The money columns become DECIMAL(38,10) (through a DOUBLE, as loyalty reads a number), whose sums
 * are exact, so the same in any order: the same bytes on every run, whatever the threads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { DataError, UsageError } from "../errors.js";
import { aggregateQueries, perCustomerQuery, type SqlColumns } from "../aggregates/sql.js";
import { PERIOD_SEPARATOR, type PeriodColumns } from "../aggregates/definition.js";
import type { CsvFormat, CsvRecord } from "./read-csv.js";

/** The package and version the engine needs (an optional dependency: `npm install` brings it unless optional ones are left out). */
export const DUCKDB_PACKAGE = "@duckdb/node-api@1.5.5-r.5";

/** What of @duckdb/node-api is used (typed here: the build needs no optional package). */
interface Rows {
  columnNames(): string[];
  getRows(): unknown[][];
  getRowObjectsJS(): Record<string, unknown>[];
}
interface Vector {
  getItem(index: number): unknown;
}
interface ListVector extends Vector {
  getEntryOffset(index: number): number;
  childVector: Vector;
}
interface Chunk {
  rowCount: number;
  getRows(): unknown[][];
  getColumnVector(index: number): Vector;
}
interface Connection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<Rows>;
  stream(sql: string): Promise<{ columnNames(): string[]; fetchChunk(): Promise<Chunk | null> }>;
  createAppender(table: string): Promise<{ appendVarchar(value: string): void; endRow(): void; closeSync(): void }>;
  closeSync(): void;
}
export interface DuckDB {
  DuckDBInstance: { create(path: string, options: Record<string, string>): Promise<{ connect(): Promise<Connection>; closeSync(): void }> };
}

/** Distinct periods texts whose split is kept (a customer's periods: most share a few). */
const SPLITS_KEPT = 10_000;

/** The package's name in a variable: TypeScript does not resolve it, so the build needs no optional package. */
const PACKAGE = "@duckdb/node-api";

export async function loadDuckdb(): Promise<DuckDB> {
  try {
    return (await import(PACKAGE)) as DuckDB;
  } catch {
    throw new UsageError("--engine duckdb (and Parquet files) need DuckDB, an optional dependency that is not installed", {
      hint: `install it with npm install ${DUCKDB_PACKAGE}, or read a CSV finance file with loyalty's own reader (--engine builtin)`,
    });
  }
}

export const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A finance file opened in DuckDB: its columns, and the reduction once the columns' roles are known. */
export interface DuckdbFinance {
  header: string[];
  /** The first rows' cells, as text (for a churn flag column's detection). */
  sample: string[][];
  reduce(columns: Omit<SqlColumns, "financeTable" | "respondentsTable">, money: string[], respondents: Iterable<string>): Promise<DuckdbAggregates>;
  close(): void;
}

/** The three results as records (their cells as text, as in the aggregates' CSV files). */
export interface DuckdbAggregates {
  summary: { header: string[]; records: CsvRecord[] };
  coverage: { header: string[]; records: CsvRecord[] };
  /** `each` hands over every customer in turn, its periods read (the query gives them as lists: QueryOptions.listedPeriods), not in its periods cell. */
  customers: { header: string[]; each(take: (record: CsvRecord, periods: PeriodColumns) => void): Promise<void> };
}

/** A DuckDB value as the text a CSV export would hold: null as "", decimals and big integers exactly. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

/**
 * Opens a finance file in DuckDB: `format` is the CSV's as loyalty sniffed it (delimiter, decimal
 * mark, encoding), null for Parquet.
 */
export async function openDuckdbFinance(path: string, file: string, format: CsvFormat | null): Promise<DuckdbFinance> {
  const duckdb = await loadDuckdb();
  // DuckDB spills to a folder of its own in the system's temporary folder (by default it would be ./.tmp), removed at close
  const spill = mkdtempSync(join(tmpdir(), "loyalty-duckdb-"));
  const instance = await duckdb.DuckDBInstance.create(":memory:", { threads: String(availableParallelism()), preserve_insertion_order: "false", temp_directory: spill });
  const connection: Connection = await instance.connect();
  const encoding = format === null ? null : format.encoding.startsWith("utf-16") ? "utf-16" : format.encoding === "windows-1252" ? "latin-1" : "utf-8";
  const csv = (options: string) =>
    `read_csv(${quote(path)}, header = true, delim = ${quote(format!.delimiter)}, quote = '"', escape = '"', encoding = ${quote(encoding!)}, skip = ${format!.sepLine ? 1 : 0}, ${options})`;
  const source = format === null ? `read_parquet(${quote(path)})` : csv("all_varchar = true");
  const fail = (error: unknown): never => {
    const message = (error as Error).message.split("\n")[0]!;
    // out of memory is no bad row (DuckDB holds each respondent's periods while it groups them)
    const memory = /out of memory/i.test(message);
    throw new DataError(`${file}: DuckDB could not ${memory ? "reduce" : "read"} it (--engine duckdb): ${message}`, {
      hint: memory
        ? "leave out --engine duckdb: loyalty's own reader keeps a few numbers a customer, not every period, and needs far less memory"
        : "loyalty's own reader (--engine builtin) names the line and column of a bad row",
    });
  };
  const close = () => {
    connection.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  };
  let header: string[];
  let sample: string[][];
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`).catch(fail);
    header = described.getRowObjectsJS().map((row) => String(row.column_name));
    const sampled = await connection.runAndReadAll(`SELECT * FROM ${source} LIMIT 1000`).catch(fail);
    sample = sampled.getRows().map((row) => row.map(cellText));
  } catch (error) {
    close();
    throw error;
  }
  return {
    header,
    sample,
    async reduce(columns, money, respondents) {
      // the money as loyalty reads a number: a plain one at once; else without spaces (and, with a decimal comma, points) grouping thousands
      const amount = (name: string) => {
        const text = `TRIM(CAST(${identifier(name)} AS VARCHAR))`;
        const ungrouped = `REPLACE(REPLACE(${text}, ' ', ''), CHR(160), '')`;
        const number = format?.decimal === "," ? `TRY_CAST(REPLACE(REPLACE(${ungrouped}, '.', ''), ',', '.') AS DOUBLE)` : `COALESCE(TRY_CAST(${text} AS DOUBLE), TRY_CAST(${ungrouped} AS DOUBLE))`;
        return `TRY_CAST(${number} AS DECIMAL(38, 10)) AS ${identifier(name)}`;
      };
      const replaced = money.length === 0 ? "*" : `* REPLACE (${money.map(amount).join(", ")})`;
      const tolerant = `CREATE OR REPLACE VIEW finance AS SELECT ${replaced} FROM ${source}`;
      // a CSV's money read as numbers by DuckDB's reader itself, when every cell is one (the
      // conversions above cost a third of a pass, twice: where a row is kept and where it is summed);
      // the first cell it cannot read stops that pass, and the pass is made again with the conversions
      const typed =
        format === null || money.length === 0
          ? null
          : `CREATE OR REPLACE VIEW finance AS SELECT * REPLACE (${money.map((name) => `TRY_CAST(${identifier(name)} AS DECIMAL(38, 10)) AS ${identifier(name)}`).join(", ")}) FROM ${csv(
              `columns = {${header.map((name) => `${quote(name)}: '${money.includes(name) ? "DOUBLE" : "VARCHAR"}'`).join(", ")}}${format.decimal === "," ? ", decimal_separator = ','" : ""}`,
            )}`;
      await connection.run("CREATE TABLE respondents (customer_id VARCHAR)");
      const appender = await connection.createAppender("respondents");
      for (const id of respondents) {
        appender.appendVarchar(id);
        appender.endRow();
      }
      appender.closeSync();
      // the per-customer pass once, kept as a table that coverage and summary read: two passes over
      // the file, not three. (The customers' pass first, or the two at once on two connections while
      // loyalty takes in the customers, held both passes' memory at once: 2.6 -> 3.2 and 4.0 GB on
      // the large workload, for a tenth of the time at most. Not done.)
      const sqlColumns = { ...columns, financeTable: "finance", respondentsTable: "respondents" };
      const perCustomer = `CREATE OR REPLACE TEMP TABLE per_customer_sums AS ${perCustomerQuery("duckdb", sqlColumns).replace(/;\s*$/, "")}`;
      const typedRead = typed !== null && (await connection.run(typed).then(() => connection.run(perCustomer)).then(() => true, () => false));
      if (!typedRead) {
        await connection.run(tolerant);
        await connection.run(perCustomer).catch(fail);
      }
      const [customers, coverage, summary] = aggregateQueries("duckdb", sqlColumns, { perCustomerTable: "per_customer_sums", listedPeriods: true });
      const whole = async (sql: string) => {
        const result = await connection.runAndReadAll(sql).catch(fail);
        return { header: result.columnNames(), records: result.getRows().map((row, i) => ({ values: row.map(cellText), line: i + 2 })) };
      };
      const summaryResult = await whole(summary!.sql);
      const coverageResult = await whole(coverage!.sql);
      const stream = await connection.stream(customers!.sql).catch(fail);
      const names = stream.columnNames();
      const [periodsAt, revenuesAt, costsAt] = ["periods", "revenues", "costs"].map((name) => names.indexOf(name));
      // the record's cells as text, and its periods from the lists: the periods' text split (once
      // for each distinct text: most customers share theirs), the amounts as DuckDB holds them; each
      // customer handed over at once (a chunk's customers kept together would outlive the young
      // generation: a quarter of the time went to the collector)
      const splits = new Map<string, string[]>();
      const each = async (take: (record: CsvRecord, periods: PeriodColumns) => void) => {
        let line = 2;
        for (let chunk = await stream.fetchChunk().catch(fail); chunk !== null && chunk.rowCount > 0; chunk = await stream.fetchChunk().catch(fail)) {
          const vectors = names.map((_, k) => chunk!.getColumnVector(k));
          const revenueList = vectors[revenuesAt!] as ListVector;
          const costList = vectors[costsAt!] as ListVector;
          for (let r = 0; r < chunk.rowCount; r++) {
            // (the periods cell keeps the periods' text: what an error about them shows)
            const values = vectors.map((v, k) => (k === revenuesAt || k === costsAt ? "" : cellText(v.getItem(r))));
            const text = values[periodsAt!]!;
            let texts = splits.get(text);
            if (texts === undefined) {
              texts = text.split(PERIOD_SEPARATOR);
              if (splits.size < SPLITS_KEPT) splits.set(text, texts);
            }
            const from = revenueList.getEntryOffset(r);
            const costFrom = costList.getEntryOffset(r);
            const revenues = new Array<number>(texts.length);
            const costs = new Array<number | null>(texts.length);
            for (let e = 0; e < texts.length; e++) {
              revenues[e] = revenueList.childVector.getItem(from + e) as number;
              costs[e] = costList.childVector.getItem(costFrom + e) as number | null;
            }
            take({ values, line: line++ }, { texts, revenues, costs });
          }
        }
      };
      return { summary: summaryResult, coverage: coverageResult, customers: { header: names, each } };
    },
    close,
  };
}
