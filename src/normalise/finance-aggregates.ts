/**
 * Finance aggregates (aggregates/definition.ts: customers.csv, coverage.csv, summary.csv, made by
 * the SQL of `loyalty sql` or by `--engine duckdb`) → the same FinanceTotals as the raw finance
 * file gives. Each entry of a respondent's periods (one per finance row, or one per period with
 * the period's sums) is added as a row, oldest first, through addFinanceRowAt (and addMonthRunAt):
 * its first and last revenue, the 13 recent periods, the revenue after its answer and the
 * group-and-period sums come out as from its raw rows (the sums in another order: equal to the last
 * bits of a double). What only the whole table knows (every customer's coverage, the one-off
 * buyers' share, rows read and rejected) comes from coverage.csv and summary.csv.
 * Pure: the pipeline feeds it records.
 */
import { InputError } from "../errors.js";
import { AGGREGATE_FILES, parsePeriodList, type AggregateFile, type AggregatePeriod, type PeriodColumns } from "../aggregates/definition.js";
import { addFinanceRowAt, addMonthRunAt, emptyFinanceTotals } from "../join/customer-finance.js";
import type { CsvRecord } from "../read/read-csv.js";
import { parsePeriod, type PeriodGranularity } from "../read/parse-date.js";
import { emptyAccount } from "./accounting.js";
import { parseChurnFlag } from "./churn-flag.js";
import type { ColumnRef, FinanceColumns } from "./column-roles.js";
import type { FinanceLoader, FinanceLoadOptions } from "./finance.js";

/** One row of coverage.csv. */
export interface AggregateCoverage {
  group: string | null;
  customers: number;
  revenue: number;
  respondents: number;
  respondentRevenue: number;
  singlePeriodCustomers: number;
}

/** Where the aggregates came from. */
export interface AggregatedFinance {
  /** The SQL dialect that made the files (summary.csv `engine`). */
  engine: string;
  /** The folder the files were read from. */
  directory: string;
  /** The finance table's churn flag column; null without one. */
  churnColumn: string | null;
  /** Made in process by DuckDB from the finance file (--engine duckdb), not read from a folder. */
  inProcess: boolean;
}

export type AggregatesLoader = FinanceLoader & {
  aggregated: AggregatedFinance;
  /** After the last customer: the table's first and last period and its repeated rows, which the customers who did not answer share in. */
  finish(): void;
  /** `add` for a record whose periods come already read (--engine duckdb hands them over as lists): its periods cell is not read. */
  addRead(record: CsvRecord, periods: PeriodColumns): void;
};

/** A file's header checked against its definition: each column's index (an error naming the file when one is missing). */
function columnIndexes(file: string, header: readonly string[], definition: AggregateFile, headerLine = 1): Map<string, number> {
  const indexes = new Map<string, number>();
  const names = header.map((h) => h.trim().toLowerCase());
  for (const { name, unread } of definition.columns) {
    const at = names.indexOf(name);
    if (at < 0 && unread) continue;
    if (at < 0) {
      throw new InputError({ file, line: headerLine }, `the aggregates' ${definition.name} file has no column "${name}" (it has ${header.map((h) => `"${h}"`).join(", ")})`, {
        hint: `make the file with the "${definition.name}" query of loyalty sql, and export it with its header row`,
      });
    }
    indexes.set(name, at);
  }
  return indexes;
}

const definitionOf = (name: AggregateFile["name"]) => AGGREGATE_FILES.find((f) => f.name === name)!;

/** A reader of one file's cells by column name, with errors at the cell. */
function cells(file: string, header: readonly string[], name: AggregateFile["name"], headerLine?: number) {
  const at = columnIndexes(file, header, definitionOf(name), headerLine);
  const text = (record: CsvRecord, column: string) => (record.values[at.get(column)!] ?? "").trim();
  const fail = (record: CsvRecord, column: string, expected: string): never => {
    const value = text(record, column);
    throw new InputError({ file, line: record.line, column: at.get(column)! + 1 }, `column "${column}": expected ${expected}, got ${value === "" ? "nothing" : `"${value}"`}`, {
      hint: `the aggregates are made by loyalty sql's "${name}" query; export its result as it is`,
    });
  };
  const number = (record: CsvRecord, column: string): number => {
    const value = text(record, column);
    const parsed = Number(value);
    return value !== "" && Number.isFinite(parsed) ? parsed : fail(record, column, "a number");
  };
  const count = (record: CsvRecord, column: string): number => {
    const parsed = number(record, column);
    return Number.isInteger(parsed) && parsed >= 0 ? parsed : fail(record, column, "a whole number of 0 or more");
  };
  const optional = (record: CsvRecord, column: string): string | null => {
    const value = text(record, column);
    return value === "" || value.toUpperCase() === "NULL" ? null : value;
  };
  return { text, number, count, optional, fail };
}

export interface AggregateSummary {
  rowsRead: number;
  rowsRejected: number;
  firstPeriod: string | null;
  lastPeriod: string | null;
  repeatedPeriodRows: number;
  engine: string;
  columns: { customerId: string; period: string | null; revenue: string; cost: string | null; group: string | null; churn: string | null };
}

/** summary.csv's one row. */
export function readAggregateSummary(file: string, header: readonly string[], records: readonly CsvRecord[]): AggregateSummary {
  const c = cells(file, header, "summary");
  if (records.length !== 1) {
    throw new InputError({ file, line: records[1]?.line ?? 1 }, `the aggregates' summary file has ${records.length} rows, not one`, { hint: 'make it with the "summary" query of loyalty sql' });
  }
  const r = records[0]!;
  const name = (column: string) => c.optional(r, column);
  return {
    rowsRead: c.count(r, "rows_read"),
    rowsRejected: c.count(r, "rows_rejected"),
    firstPeriod: c.optional(r, "first_period"),
    lastPeriod: c.optional(r, "last_period"),
    repeatedPeriodRows: c.count(r, "repeated_period_rows"),
    engine: c.optional(r, "engine") ?? c.fail(r, "engine", "the SQL dialect"),
    columns: {
      customerId: name("customer_id_column") ?? c.fail(r, "customer_id_column", "the finance table's customer id column"),
      period: name("period_column"),
      revenue: name("revenue_column") ?? c.fail(r, "revenue_column", "the finance table's revenue column"),
      cost: name("cost_column"),
      group: name("group_column"),
      churn: name("churn_column"),
    },
  };
}

/** coverage.csv's rows. */
export function readAggregateCoverage(file: string, header: readonly string[], records: readonly CsvRecord[]): AggregateCoverage[] {
  const c = cells(file, header, "coverage");
  return records.map((r) => ({
    group: c.optional(r, "finance_group"),
    customers: c.count(r, "customers"),
    revenue: c.number(r, "revenue"),
    respondents: c.count(r, "respondents"),
    respondentRevenue: c.number(r, "respondent_revenue"),
    singlePeriodCustomers: c.count(r, "single_period_customers"),
  }));
}

/**
 * A loader of customers.csv: `add` takes its records (one customer each) and builds the totals as
 * the raw rows would (see above). `options` as for createFinanceLoader (the survey's questions).
 */
export function createAggregatesLoader(
  file: string,
  header: readonly string[],
  summary: AggregateSummary,
  coverage: readonly AggregateCoverage[],
  directory: string,
  options: FinanceLoadOptions = {},
): AggregatesLoader {
  const c = cells(file, header, "customers", options.headerLine);
  // the finance table's columns, for the report (their places in the table are not known: -1)
  const ref = (name: string | null): ColumnRef | null => (name === null ? null : { name, index: -1, detected: false });
  const columns: FinanceColumns = {
    customerId: ref(summary.columns.customerId),
    period: ref(summary.columns.period),
    revenue: ref(summary.columns.revenue)!,
    cost: ref(summary.columns.cost),
    group: ref(summary.columns.group),
    customers: null,
  };
  const totals = emptyFinanceTotals(options.groupOf ?? null, options.sharedIds ?? null);
  if (options.respondentOf) totals.respondentOf = options.respondentOf;
  if (options.responseMonthOf) {
    totals.responseMonthOf = options.responseMonthOf;
    totals.repurchaseWindow = options.repurchaseWindow;
  }
  const account = emptyAccount();
  account.rowsRead = summary.rowsRead;
  account.rowsRejected = summary.rowsRejected;
  account.rowsAccepted = summary.rowsRead - summary.rowsRejected;
  const flagInvalid: FinanceLoader["flagInvalid"] = { count: 0, first: null };
  const withCost = summary.columns.cost !== null;
  const withFlag = summary.columns.churn !== null;
  let granularity: { value: PeriodGranularity; line: number } | null = null;
  const store = totals.customers;
  const aggregated: AggregatedFinance = { engine: summary.engine, directory, churnColumn: summary.columns.churn, inProcess: false };
  totals.wholeTable = {
    customers: coverage.reduce((sum, g) => sum + g.customers, 0),
    singlePeriodCustomers: coverage.reduce((sum, g) => sum + g.singlePeriodCustomers, 0),
    byGroup: coverage.map(({ group, customers, revenue, respondents, respondentRevenue }) => ({ group, customers, revenue, respondents, respondentRevenue })),
  };

  // one customer's entries at a time, for addMonthRunAt
  let runMonths = new Int32Array(64);
  let runValues = new Float64Array(128);
  // the periods read once each (a million customers' entries name a few dozen periods)
  const periods = new Map<string, ReturnType<typeof parsePeriod>>();
  const periodOf = (text: string) => {
    let period = periods.get(text);
    if (period === undefined) periods.set(text, (period = parsePeriod(text)));
    return period;
  };

  /** The periods cell's entries in columns, or its error at the cell. */
  const columnsOf = (record: CsvRecord, entries: AggregatePeriod[] | string): PeriodColumns => {
    if (typeof entries === "string") return c.fail(record, "periods", entries.replace(/^expected /, ""));
    return { texts: entries.map((e) => e.period), revenues: entries.map((e) => e.revenue), costs: entries.map((e) => e.cost) };
  };

  function add(record: CsvRecord, read?: PeriodColumns): void {
    const id = c.text(record, "customer_id");
    if (id === "") c.fail(record, "customer_id", "a customer id");
    const rows = c.count(record, "row_count");
    const list = read ?? columnsOf(record, parsePeriodList(c.text(record, "periods")));
    const n = list.texts.length;
    if (n === 0) c.fail(record, "periods", "at least one period:revenue:cost entry");
    const group = c.optional(record, "finance_group");
    let flag: boolean | null | undefined;
    if (withFlag) {
      const text = c.text(record, "churn_flag");
      flag = parseChurnFlag(text);
      if (flag === undefined) {
        flagInvalid.count += 1;
        flagInvalid.first ??= { line: record.line, column: header.findIndex((h) => h.trim().toLowerCase() === "churn_flag") + 1, value: text };
        flag = null;
      }
    }
    const customer = store.slot(id, !withCost);
    if (store.rowsOf(customer) > 0) c.fail(record, "customer_id", `each customer once (customer ${id} came before)`);
    // the entries checked, their month (or quarter, year) ordinals and money in the run buffers
    if (runMonths.length < n) {
      runMonths = new Int32Array(2 * n);
      runValues = new Float64Array(4 * n);
    }
    let previous = -Infinity;
    for (let i = 0; i < n; i++) {
      const text = list.texts[i]!;
      const revenue = list.revenues[i]!;
      const cost = list.costs[i]!;
      const period = periodOf(text);
      if (!period) c.fail(record, "periods", `periods as YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD, and "${text}" is not one`);
      if (granularity === null) granularity = { value: period!.granularity, line: record.line };
      else if (granularity.value !== period!.granularity) c.fail(record, "periods", `${granularity.value}s throughout (line ${granularity.line} has ${granularity.value}s), and "${text}" is a ${period!.granularity}`);
      // a period's rows may each have an entry (loyalty sql's, one per row) or one entry between them (their sums)
      if (period!.ordinal < previous) c.fail(record, "periods", "the periods oldest first");
      if (withCost && cost === null) c.fail(record, "periods", `a cost in every entry (the summary names cost column "${summary.columns.cost}")`);
      previous = period!.ordinal;
      runMonths[i] = period!.ordinal;
      runValues[2 * i] = revenue;
      runValues[2 * i + 1] = cost ?? 0;
    }
    // added as rows, oldest first: the first and the last one by one (the first asks the customer's
    // answer and sum group; the last brings its group and flag, the latest), the monthly ones
    // between as runs (addMonthRunAt: the same sums in the same order, as the raw file's rows)
    const unit = granularity!.value;
    const lastIndex = n - 1;
    for (let i = 0; i < n; ) {
      if (unit === "month" && i > 0 && i < lastIndex) {
        const done = addMonthRunAt(totals, customer, runValues, runMonths, i, lastIndex, withCost);
        if (done > 0) {
          i += done;
          continue;
        }
      }
      const last = i === lastIndex;
      addFinanceRowAt(totals, customer, runValues[2 * i]!, withCost ? runValues[2 * i + 1]! : null, unit, runMonths[i]!, last ? group : null, last && withFlag ? flag : undefined);
      i++;
    }
    if (rows < n) c.fail(record, "row_count", `at least its ${n} entries of periods`);
    store.setRows(customer, rows);
  }

  const first = summary.firstPeriod === null ? null : parsePeriod(summary.firstPeriod);
  return {
    columns,
    account,
    totals,
    add: (record) => add(record),
    addRead: add,
    addRaw: (row) => add(row.record()),
    currency: () => null,
    flagInvalid,
    aggregated,
    finish(): void {
      const last = summary.lastPeriod === null ? null : parsePeriod(summary.lastPeriod);
      if (first && (totals.firstPeriod === null || first.ordinal < totals.firstPeriod)) totals.firstPeriod = first.ordinal;
      if (last && (totals.lastPeriod === null || last.ordinal > totals.lastPeriod)) totals.lastPeriod = last.ordinal;
      if (totals.granularity === null && first) totals.granularity = first.granularity;
      totals.repeatedPeriodRows = summary.repeatedPeriodRows;
    },
  };
}
