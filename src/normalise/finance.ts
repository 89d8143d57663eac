/**
 * Finance rows → per-customer sums, validated row by row, with reject accounting.
 * Pure: the pipeline feeds it records as they stream in.
 */
import { parseChurnFlag } from "./churn-flag.js";
import { InputError } from "../errors.js";
import { addFinanceRow, emptyFinanceTotals, type FinanceTotals } from "../join/customer-finance.js";
import type { CsvRecord } from "../read/read-csv.js";
import { parsePeriod, type PeriodGranularity } from "../read/parse-date.js";
import { MAX_MAGNITUDE, inferDecimalMark, parseMoney, plainNumber, type DecimalMark } from "../read/parse-number.js";
import { atHeaderLine, cellOf, emptyAccount, isBlankRecord, recordExclusion, recordReject, rejectAt, repeatsHeader, type InputAccount, type RowReject } from "./accounting.js";
import { quoteValue } from "./coerce.js";
import { isMissing, resolveFinanceColumns, type ColumnRef, type FinanceColumnFlags, type FinanceColumns } from "./column-roles.js";

export interface FinanceLoader {
  columns: FinanceColumns;
  account: InputAccount;
  totals: FinanceTotals;
  /** Validates one record and adds it to the sums, or counts it as rejected. */
  add(record: CsvRecord): void;
  /** The currency written with the revenue amounts (SEK, EUR, kr, €…), or null when none was. */
  currency(): string | null;
  /** Cells of the churn flag column that are not flag values: counted, the first located; such a customer's flag is unknown. */
  flagInvalid: { count: number; first: { line: number; column: number; value: string } | null };
}

export interface FinanceLoadOptions {
  /** The first records, from which each money column's decimal mark is inferred. */
  sample?: readonly CsvRecord[];
  /** The decimal mark was named (--decimal): no inference. */
  decimalNamed?: boolean;
  /** The header row as written, to recognise it repeated mid-file. */
  rawHeader?: readonly string[];
  /** Header names that occur more than once. */
  duplicateNames?: readonly string[];
  /** The header's line (1 unless a sep= line or a workbook's title rows come first). */
  headerLine?: number;
  /** The survey's group column name, to find the same column in the finance file. */
  surveyGroup?: string | undefined;
  /** The group each customer's money is summed under per period (from the survey); none when absent. */
  groupOf?: ((customerId: string) => string | null) | undefined;
  /** The month of each respondent's latest answer, and the repurchase window (for transactional businesses). */
  responseMonthOf?: ((customerId: string) => number | null) | undefined;
  repurchaseWindow?: number | undefined;
  /** The index of a churn flag column (--churn-column, or detected); each customer keeps its latest row's flag. */
  churnColumn?: number | undefined;
}

export function createFinanceLoader(file: string, header: readonly string[], flags: FinanceColumnFlags, decimal: DecimalMark, options: FinanceLoadOptions = {}): FinanceLoader {
  const columns = atHeaderLine(options.headerLine ?? 1, () => resolveFinanceColumns(header, flags, file, options.surveyGroup));
  for (const name of options.duplicateNames ?? []) {
    const used = [columns.customerId, columns.period, columns.revenue, columns.cost, columns.group, columns.customers].find((c) => c && (c.name === name || c.name.startsWith(`${name} (`)));
    if (used) {
      throw new InputError({ file, line: 1 }, `the header has more than one column named "${name}", and it is used as a role`, {
        hint: "rename or remove the duplicate column, or name the one to use with its option",
      });
    }
  }
  const decimals = new Map<number, DecimalMark>();
  for (const column of [columns.revenue, columns.cost, columns.customers]) {
    if (!column) continue;
    const inferred = options.decimalNamed ? decimal : inferDecimalMark((options.sample ?? []).map((r) => cellOf(r, column)), decimal);
    if (typeof inferred !== "string") {
      throw new InputError({ file }, `column "${column.name}" mixes decimal marks: "${inferred.conflict[0]}" has a decimal point, "${inferred.conflict[1]}" a decimal comma`, {
        hint: "name the decimal mark with --decimal . or --decimal ,",
      });
    }
    decimals.set(column.index, inferred);
  }
  const currencies = new Map<number, { currency: string; line: number }>();
  const flagInvalid: FinanceLoader["flagInvalid"] = { count: 0, first: null };
  const account = emptyAccount();
  // a branch P&L's rows are keyed by their group, so each row is its own group's money
  const totals = emptyFinanceTotals(columns.customerId ? (options.groupOf ?? null) : (group) => group);
  if (columns.customerId && options.responseMonthOf) {
    totals.responseMonthOf = options.responseMonthOf;
    totals.repurchaseWindow = options.repurchaseWindow;
  }
  let granularity: { value: PeriodGranularity; line: number } | null = null;
  const money = (record: CsvRecord, column: ColumnRef): number | RowReject => {
    const text = cellOf(record, column);
    const mark = decimals.get(column.index) ?? decimal;
    // a plain number (most cells) has no currency and needs no trimming
    const plain = plainNumber(text, mark);
    if (plain === plain) return Math.abs(plain) > MAX_MAGNITUDE ? rejectAt(record, column, `expected an amount of at most 1e15 in size (larger sums lose precision), got ${quoteValue(text)}`) : plain;
    const amount = parseMoney(text, mark);
    if (amount === null) return rejectAt(record, column, `expected a number${mark === "," ? " with a decimal comma" : ""}, got ${quoteValue(text)}`);
    if (Math.abs(amount.value) > MAX_MAGNITUDE) return rejectAt(record, column, `expected an amount of at most 1e15 in size (larger sums lose precision), got ${quoteValue(text)}`);
    if (amount.currency !== null) {
      const seen = currencies.get(column.index);
      if (!seen) currencies.set(column.index, { currency: amount.currency, line: record.line });
      else if (seen.currency !== amount.currency) {
        throw new InputError(
          { file, line: record.line, column: column.index + 1 },
          `column "${column.name}" mixes currencies: ${amount.currency} here, ${seen.currency} on line ${seen.line}`,
          { hint: "convert the amounts to one currency before the analysis" },
        );
      }
    }
    return amount.value;
  };

  function add(record: CsvRecord): void {
    account.rowsRead += 1;
    if (isBlankRecord(record)) return recordExclusion(account, "every field is blank (a delimiter-only row)");
    if (repeatsHeader(record, options.rawHeader)) {
      throw new InputError({ file, line: record.line }, "the header row appears again here (two exports joined together?)", {
        hint: "remove the repeated header, or analyse the files one at a time",
      });
    }
    if (record.values.length > header.length && record.values.slice(header.length).some((v) => v.trim() !== "")) {
      throw new InputError({ file, line: record.line, column: header.length + 1 }, `this row has ${record.values.length} fields but the header has ${header.length}`, {
        hint: "check for an unquoted delimiter inside a value, or a wrong --delimiter",
      });
    }
    const keyColumn = columns.customerId ?? columns.group!;
    const id = cellOf(record, keyColumn).trim();
    if (id === "" || isMissing(id)) return recordReject(account, rejectAt(record, keyColumn, columns.customerId ? "the customer id is blank" : "the group is blank"));
    const revenue = money(record, columns.revenue);
    if (typeof revenue !== "number") return recordReject(account, revenue);
    let cost: number | null = null;
    if (columns.cost) {
      const value = money(record, columns.cost);
      if (typeof value !== "number") return recordReject(account, value);
      cost = value;
    }
    let period = null;
    if (columns.period) {
      const text = cellOf(record, columns.period);
      period = parsePeriod(text) ?? null;
      if (!period) return recordReject(account, rejectAt(record, columns.period, `expected a period as YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD, got ${quoteValue(text)}`));
      if (granularity === null) granularity = { value: period.granularity, line: record.line };
      else if (granularity.value !== period.granularity) {
        throw new InputError(
          { file, line: record.line, column: columns.period.index + 1 },
          `period ${quoteValue(text)} is a ${period.granularity}, but line ${granularity.line} has a ${granularity.value}`,
          {
          hint: "use one kind of period (months, quarters or years) throughout the file",
        });
      }
    }
    let customers: number | null = null;
    if (columns.customers) {
      const value = money(record, columns.customers);
      if (typeof value !== "number") return recordReject(account, value);
      if (!(value >= 0)) return recordReject(account, rejectAt(record, columns.customers, `expected a count of customers of 0 or more, got ${quoteValue(cellOf(record, columns.customers))}`));
      customers = value;
    }
    const group = columns.customerId && columns.group ? cellOf(record, columns.group).trim() : "";
    account.rowsAccepted += 1;
    let flag: boolean | null | undefined;
    if (options.churnColumn !== undefined) {
      const text = record.values[options.churnColumn] ?? "";
      flag = parseChurnFlag(text);
      if (flag === undefined) {
        flagInvalid.count += 1;
        flagInvalid.first ??= { line: record.line, column: options.churnColumn + 1, value: text };
        flag = null;
      }
    }
    addFinanceRow(totals, id, revenue, cost, period, group === "" || isMissing(group) ? null : group, flag);
    if (customers !== null) totals.customerCounts.set(id, (totals.customerCounts.get(id) ?? 0) + customers);
  }
  return { columns, account, totals, add, currency: () => currencies.get(columns.revenue.index)?.currency ?? null, flagInvalid };
}
