/**
 * Reject accounting for one input file: every row read is either accepted or rejected,
 * and every rejected row is counted with its location and reason.
 */

import { InputError } from "../errors.js";
import type { CsvRecord } from "../read/read-csv.js";
import type { ColumnRef } from "./column-roles.js";

export interface RowReject {
  line: number;
  column?: number;
  columnName?: string;
  reason: string;
}

/**
 * rowsRead = rowsAccepted + rowsRejected + rowsExcluded. Rejected rows have a bad value;
 * excluded rows are valid but left out by rule (a Qualtrics preview, test or unfinished response).
 */
export interface InputAccount {
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsExcluded: number;
  /** Why rows were excluded, with counts, in the order first met. */
  exclusions: { reason: string; count: number }[];
  /** The first rejects, in file order (at most `MAX_LISTED_REJECTS`). */
  rejects: RowReject[];
}

export const MAX_LISTED_REJECTS = 50;

export function emptyAccount(): InputAccount {
  return { rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsExcluded: 0, exclusions: [], rejects: [] };
}

export function recordReject(account: InputAccount, reject: RowReject): void {
  account.rowsRejected += 1;
  if (account.rejects.length < MAX_LISTED_REJECTS) account.rejects.push(reject);
}

/** The text of a record's cell in a column; a missing trailing field reads as blank. */
export function cellOf(record: CsvRecord, column: ColumnRef): string {
  return record.values[column.index] ?? "";
}

/** A reject located at a record's line and a column (1-based column number). */
export function rejectAt(record: CsvRecord, column: ColumnRef, reason: string): RowReject {
  return { line: record.line, column: column.index + 1, columnName: column.name, reason };
}

export function recordExclusion(account: InputAccount, reason: string): void {
  account.rowsExcluded += 1;
  const entry = account.exclusions.find((e) => e.reason === reason);
  if (entry) entry.count += 1;
  else account.exclusions.push({ reason, count: 1 });
}

/** True when every field of the record is blank (a delimiter-only row such as ",,,,"). */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.values.every((v) => v.trim() === "");
}

/** True when the record repeats the header (two exports joined together). */
export function repeatsHeader(record: CsvRecord, rawHeader: readonly string[] | undefined): boolean {
  if (!rawHeader || record.values.length !== rawHeader.length) return false;
  return record.values.every((v, i) => (v.charCodeAt(0) === 0xfeff ? v.slice(1) : v).trim() === rawHeader[i]);
}

/**
 * Runs `resolve` (which reads only the header) so that an error without a line, such as a missing
 * or ambiguous column, is reported at the header's line: `finance.csv:1: no revenue column …`.
 */
export function atHeaderLine<T>(line: number, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof InputError && error.location.line === undefined) {
      throw new InputError({ ...error.location, line }, error.message, { hint: error.hint, cause: error.cause });
    }
    throw error;
  }
}
