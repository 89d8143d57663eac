/**
 * Finance rows → per-customer sums, validated row by row, with reject accounting.
 * Pure: the pipeline feeds it records as they stream in.
 */
import { parseChurnFlag } from "./churn-flag.js";
import { InputError } from "../errors.js";
import { addFinanceRow, addFinanceRowAt, addMonthRunAt, emptyFinanceTotals, type FinanceTotals } from "../join/customer-finance.js";
import type { SharedIds } from "../join/customer-store.js";
import type { BulkPlan, CsvRecord, RawRecord, ScannedRecords } from "../read/read-csv.js";
import { ESCAPED_QUOTES } from "../read/scan-kernel.js";
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
  /**
   * `add` for a record as bytes: the common row (an ASCII id, plain numbers, a YYYY-MM period) is
   * read without a string made for it; any other row goes to `add` as strings. The same sums,
   * rejects and errors either way.
   */
  addRaw(row: RawRecord): void;
  /** `addRaw` for the common records in bulk (RecordSink.bulk); absent when every record goes to `add`. */
  bulk?: { plan: BulkPlan; take(records: ScannedRecords): void } | undefined;
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
  /** About how many customers the file holds, when known (the store makes room for them at once). */
  expectedCustomers?: number | undefined;
  /** The group each customer's money is summed under per period (from the survey); none when absent. */
  groupOf?: ((customerId: string) => string | null) | undefined;
  /** The month of each respondent's latest answer, and the repurchase window (for transactional businesses). */
  responseMonthOf?: ((customerId: string) => number | null) | undefined;
  repurchaseWindow?: number | undefined;
  /** FinanceTotals.respondentOf: each customer's latest answer, kept for the join (a file per customer only). */
  respondentOf?: ((customerId: string) => number) | undefined;
  /** The customer ids' table shared with the survey's respondents (LatestResponses.sharedIds), for a file per customer. */
  sharedIds?: SharedIds | undefined;
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
  // (a branch P&L's ids are its groups: never in the customers' table)
  const totals = emptyFinanceTotals(columns.customerId ? (options.groupOf ?? null) : (group) => group, columns.customerId ? (options.sharedIds ?? null) : null);
  if (columns.customerId && options.expectedCustomers) totals.customers.reserve(options.expectedCustomers);
  if (columns.customerId && options.respondentOf) totals.respondentOf = options.respondentOf;
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
  // the byte path: for a file per customer without a customer-count column (else every row goes to add)
  const fast = columns.customerId !== null && !columns.customers;
  const keyIndex = columns.customerId?.index ?? -1;
  // a row whose id is the header's id name may repeat the header: add checks it
  const headerKey = Buffer.from(options.rawHeader?.[keyIndex] ?? "", "utf8");
  const revenueIndex = columns.revenue.index;
  const revenueMark = (decimals.get(revenueIndex) ?? decimal) === "," ? 44 : 46;
  const costIndex = columns.cost ? columns.cost.index : -1;
  const costMark = (decimals.get(costIndex) ?? decimal) === "," ? 44 : 46;
  const periodIndex = columns.period ? columns.period.index : -1;
  const groupIndex = columns.customerId && columns.group ? columns.group.index : -1;
  const churnIndex = options.churnColumn ?? -1;
  const store = totals.customers;
  const lastId = new PreviousBytes<number>();
  const groups = new PreviousBytes<string | null>();
  const flagCells = new PreviousBytes<boolean | null | undefined>();

  function addRaw(row: RawRecord): void {
    const bytes = row.bytes;
    const starts = row.starts;
    const ends = row.ends;
    if (!fast || row.count !== header.length) return add(row.record());
    const revenue = plainBytes(bytes, starts[revenueIndex]!, ends[revenueIndex]!, revenueMark);
    const cost = costIndex >= 0 ? plainBytes(bytes, starts[costIndex]!, ends[costIndex]!, costMark) : 0;
    const ordinal = periodIndex >= 0 ? monthBytes(bytes, starts[periodIndex]!, ends[periodIndex]!) : 0;
    if (addBytes(bytes, starts, ends, 0, 0x80, revenue, cost, ordinal, false, 0, -1) < 0) add(row.record());
  }

  /**
   * The common records from the bulk scanner, read as `bulkPlan` asks: each as addRaw. Records of
   * the customer of the record before (its id the same bytes, so it passes the same checks) whose
   * money and month are plain and whose group cell is the same bytes go to addMonthRunAt together.
   */
  function addScanned(records: ScannedRecords): void {
    const { bytes, starts, ends, high, hash, same, numbers, months, fields, count } = records;
    // a monthly file without a churn flag column: runs of a customer's rows
    const runs = periodIndex >= 0 && churnIndex < 0 && granularity !== null && granularity.value === "month";
    const withCost = costIndex >= 0;
    const plain = (r: number) =>
      same[r] === 1 &&
      (high[r]! & ESCAPED_QUOTES) === 0 &&
      numbers[2 * r] === numbers[2 * r] &&
      (!withCost || numbers[2 * r + 1] === numbers[2 * r + 1]) &&
      months[r]! >= 0 &&
      (groupIndex < 0 || groups.is(bytes, starts[r * fields + groupIndex]!, ends[r * fields + groupIndex]!));
    // the customer of the record before, when it took the byte path (-1: it did not)
    let previous = -1;
    let r = 0;
    while (r < count) {
      if (runs && previous >= 0 && plain(r)) {
        let end = r + 1;
        while (end < count && plain(end)) end++;
        const done = addMonthRunAt(totals, previous, numbers, months, r, end, withCost);
        account.rowsRead += done;
        account.rowsAccepted += done;
        r += done;
        // a record the run stopped before goes the row's way
        if (done > 0) continue;
      }
      const ordinal = periodIndex >= 0 ? months[r]! : 0;
      previous = addBytes(bytes, starts, ends, r * fields, high[r]!, numbers[2 * r]!, numbers[2 * r + 1]!, ordinal, true, hash[r]!, same[r] === 1 ? previous : -1);
      if (previous < 0) add(records.raw(r).record());
      r++;
    }
  }

  /**
   * The byte path for the record whose fields are at `base` in starts/ends (the header's count of
   * them): its revenue, cost and month ordinal read from the bytes (NaN, NaN, -1 when they are
   * not plain), `high` its bytes OR-ed (0x80 or more: the id is checked for ASCII), the id's hash
   * when `hashed`, `known` its customer when that is the record before's (-1: look it up).
   * Returns the customer, or -1 when the record is not the common one and must go to `add`.
   */
  function addBytes(bytes: Buffer, starts: Int32Array, ends: Int32Array, base: number, high: number, revenue: number, costRead: number, ordinal: number, hashed: boolean, hash: number, known: number): number {
    const idStart = starts[base + keyIndex]!;
    const idEnd = ends[base + keyIndex]!;
    // (a field with doubled quotes: its text is not its bytes)
    if ((high & ESCAPED_QUOTES) !== 0 || idEnd === idStart || bytes[idStart]! <= 32 || bytes[idEnd - 1]! <= 32 || (high >= 0x80 && !asciiBytes(bytes, idStart, idEnd)) || sameBytes(bytes, idStart, idEnd, headerKey)) return -1;
    if (idEnd - idStart <= 4 && isMissing(bytes.toString("latin1", idStart, idEnd))) return -1;
    if (revenue !== revenue) return -1;
    let cost: number | null = null;
    if (costIndex >= 0) {
      if (costRead !== costRead) return -1;
      cost = costRead;
    }
    if (periodIndex >= 0 && (ordinal < 0 || granularity === null || granularity.value !== "month")) return -1;
    let group: string | null = null;
    if (groupIndex >= 0) {
      const from = starts[base + groupIndex]!;
      const to = ends[base + groupIndex]!;
      if (!groups.is(bytes, from, to)) {
        const text = bytes.toString("utf8", from, to).trim();
        groups.set(bytes, from, to, text === "" || isMissing(text) ? null : text);
      }
      group = groups.value!;
    }
    let flag: boolean | null | undefined;
    if (churnIndex >= 0) {
      const from = starts[base + churnIndex]!;
      const to = ends[base + churnIndex]!;
      if (!flagCells.is(bytes, from, to)) flagCells.set(bytes, from, to, parseChurnFlag(bytes.toString("utf8", from, to)));
      flag = flagCells.value;
      // not a flag value: counted and located by add
      if (flag === undefined) return -1;
    }
    account.rowsRead += 1;
    account.rowsAccepted += 1;
    let c = known;
    if (c < 0) {
      if (lastId.is(bytes, idStart, idEnd)) c = lastId.value!;
      else {
        c = hashed ? store.slotOfHashedBytes(bytes, idStart, idEnd, hash, cost === null) : store.slotOfBytes(bytes, idStart, idEnd, cost === null);
        lastId.set(bytes, idStart, idEnd, c);
      }
    }
    addFinanceRowAt(totals, c, revenue, cost, periodIndex >= 0 ? "month" : null, ordinal, group, flag);
    return c;
  }
  // the common records in bulk, for a file per customer without a customer-count column
  const bulkPlan: BulkPlan | undefined = fast
    ? { fields: header.length, key: keyIndex, numbers: costIndex >= 0 ? [{ index: revenueIndex, mark: revenueMark }, { index: costIndex, mark: costMark }] : [{ index: revenueIndex, mark: revenueMark }], month: periodIndex }
    : undefined;
  return { columns, account, totals, add, addRaw, bulk: bulkPlan && { plan: bulkPlan, take: addScanned }, currency: () => currencies.get(columns.revenue.index)?.currency ?? null, flagInvalid };
}

/** The last bytes seen in a column and what was made of them, to use again for the same bytes. */
class PreviousBytes<T> {
  private bytes: Uint8Array = new Uint8Array(64);
  private length = -1;
  value: T | undefined;

  is(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length !== this.length) return false;
    const kept = this.bytes;
    for (let i = 0; i < length; i++) if (kept[i] !== bytes[start + i]) return false;
    return true;
  }

  set(bytes: Uint8Array, start: number, end: number, value: T): void {
    const length = end - start;
    if (length > this.bytes.length) this.bytes = new Uint8Array(length * 2);
    this.bytes.set(bytes.subarray(start, end));
    this.length = length;
    this.value = value;
  }
}

function asciiBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

function sameBytes(bytes: Uint8Array, start: number, end: number, other: Uint8Array): boolean {
  if (end - start !== other.length) return false;
  for (let i = 0; i < other.length; i++) if (bytes[start + i] !== other[i]) return false;
  return true;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * plainNumber over the bytes `bytes[start, end)` (`mark` the decimal mark's code): NaN for a cell
 * that is not a plain number, and also for one of more than 15 digits (then plainNumber decides).
 * The value is the digits as an integer over a power of ten: both exact below 2^53 and 1e22, so
 * the division rounds once, to the double nearest the decimal, which is what Number(text) gives.
 */
export function plainBytes(bytes: Uint8Array, start: number, end: number, mark: number): number {
  let i = start;
  let c = bytes[i];
  const negative = c === 45;
  if (c === 43 || c === 45) i++;
  let value = 0;
  const digits = i;
  while (i < end && (c = bytes[i]!) >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    i++;
  }
  let count = i - digits;
  if (count === 0) return NaN;
  let fraction = 0;
  if (i < end) {
    if (c !== mark) return NaN;
    const from = ++i;
    while (i < end && (c = bytes[i]!) >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      i++;
    }
    fraction = i - from;
    if (fraction === 0 || i < end) return NaN;
    count += fraction;
  }
  if (count > 15) return NaN;
  if (fraction > 0) value /= POWERS_OF_TEN[fraction]!;
  return negative ? -value : value;
}

/** parsePeriod's ordinal for a YYYY-MM written exactly so in `bytes[start, end)`; -1 for anything else. */
export function monthBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 7 || bytes[start + 4] !== 45) return -1;
  let year = 0;
  for (let i = start; i < start + 4; i++) {
    const d = bytes[i]! - 48;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = bytes[start + 5]! - 48;
  const m2 = bytes[start + 6]! - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9) return -1;
  const month = m1 * 10 + m2;
  return month >= 1 && month <= 12 ? year * 12 + month - 1 : -1;
}
