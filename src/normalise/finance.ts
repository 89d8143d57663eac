/**
 * Finance rows → per-customer sums, validated row by row, with reject accounting.
 * Pure: the pipeline feeds it records as they stream in.
 */
import { InputError } from "../errors.js";
import { addFinanceRow, emptyFinanceTotals, type FinanceTotals } from "../join/customer-finance.js";
import type { CsvRecord } from "../read/read-csv.js";
import { parsePeriod, type PeriodGranularity } from "../read/parse-date.js";
import { parseNumber, type DecimalMark } from "../read/parse-number.js";
import { cellOf, emptyAccount, recordReject, rejectAt, type InputAccount, type RowReject } from "./accounting.js";
import { quoteValue } from "./coerce.js";
import { isMissing, resolveFinanceColumns, type ColumnRef, type FinanceColumnFlags, type FinanceColumns } from "./column-roles.js";

export interface FinanceLoader {
  columns: FinanceColumns;
  account: InputAccount;
  totals: FinanceTotals;
  /** Validates one record and adds it to the sums, or counts it as rejected. */
  add(record: CsvRecord): void;
}

export function createFinanceLoader(file: string, header: readonly string[], flags: FinanceColumnFlags, decimal: DecimalMark): FinanceLoader {
  const columns = resolveFinanceColumns(header, flags, file);
  const account = emptyAccount();
  const totals = emptyFinanceTotals();
  let granularity: { value: PeriodGranularity; line: number } | null = null;
  const money = (record: CsvRecord, column: ColumnRef): number | RowReject => {
    const text = cellOf(record, column);
    const value = parseNumber(text, decimal);
    if (value === null) return rejectAt(record, column, `expected a number${decimal === "," ? " with a decimal comma" : ""}, got ${quoteValue(text)}`);
    return value;
  };

  function add(record: CsvRecord): void {
    account.rowsRead += 1;
    if (record.values.length > header.length && record.values.slice(header.length).some((v) => v.trim() !== "")) {
      throw new InputError({ file, line: record.line, column: header.length + 1 }, `this row has ${record.values.length} fields but the header has ${header.length}`, {
        hint: "check for an unquoted delimiter inside a value, or a wrong --delimiter",
      });
    }
    const id = cellOf(record, columns.customerId).trim();
    if (id === "" || isMissing(id)) return recordReject(account, rejectAt(record, columns.customerId, "the customer id is blank"));
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
    account.rowsAccepted += 1;
    addFinanceRow(totals, id, revenue, cost, period);
  }
  return { columns, account, totals, add };
}
