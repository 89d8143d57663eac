/**
 * The customer lists (upsell, ambassadors) as a table, JSON or CRM-ready CSV (formula-safe, money
 * rounded to the currency). One layout per list names its columns once for every format.
 */
import { Chalk } from "chalk";
import { renderCsv, roundTo } from "./render-csv.js";
import type { Cell, Column, TableBlock } from "./document.js";
import { renderTableBlock, wrapText } from "./render-terminal.js";

export interface CustomerListReport<T> {
  tool: { name: "loyalty"; version: string };
  generatedAt: string;
  list: "upsell" | "ambassadors";
  survey: string;
  finance: string | null;
  /** The answer categories listed. */
  include: ("promoter" | "passive")[];
  top: number;
  /** Customers that qualify before --top cut the list. */
  eligible: number;
  /** How the list is ranked, in words. */
  ranking: string;
  /** What the reader should know: a measure that could not be used, and why. */
  notes: string[];
  customers: T[];
}

/** One column of a list: its table column and how to get its value (money is rounded in CSV). */
export interface ListField<T> {
  column: Column;
  value: (row: T) => string | number | boolean | null;
  /** The table cell when it differs from the value (a shortened comment, a mark). */
  cell?: (row: T) => Cell;
  /** Left out of the table (JSON and CSV keep it). */
  csvOnly?: boolean;
  /** Left out of the table when no row has a value (a comment column the survey does not have). */
  hideWhenEmpty?: boolean;
}

/** The longest comment a table shows; CSV and JSON carry it whole. */
export const TABLE_COMMENT_LENGTH = 48;

export function shortComment(text: string | null): string {
  if (text === null) return "";
  const flat = text.replace(/\s+/g, " ");
  return [...flat].length > TABLE_COMMENT_LENGTH ? `${[...flat].slice(0, TABLE_COMMENT_LENGTH - 1).join("")}…` : flat;
}

export function renderListJson<T>(report: CustomerListReport<T>): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderListCsv<T>(fields: readonly ListField<T>[], rows: readonly T[], moneyDecimals = 2): string {
  return renderCsv(
    fields.map((f) => f.column.key),
    rows.map((row) =>
      fields.map((f) => {
        const v = f.value(row);
        return f.column.unit === "money" && typeof v === "number" ? roundTo(v, moneyDecimals) : v;
      }),
    ),
  );
}

export function renderListTable<T>(title: string, fields: readonly ListField<T>[], report: CustomerListReport<T>, footer: readonly string[], options: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, options.width ?? 80);
  const shown = fields.filter((f) => !f.csvOnly && !(f.hideWhenEmpty && report.customers.every((row) => f.value(row) === null)));
  const table: TableBlock = {
    kind: "table",
    id: "customers",
    columns: shown.map((f) => f.column),
    rows: report.customers.map((row): Cell[] => shown.map((f) => (f.cell ? f.cell(row) : (f.value(row) as Cell)))),
  };
  return [
    ...wrapText(title, width).map((l) => chalk.bold(l)),
    ...(report.customers.length > 0 ? renderTableBlock(table, width, chalk) : ["(no customer qualifies)"]),
    ...[report.ranking, ...report.notes, ...footer].flatMap((text) => wrapText(text, width)),
    "",
  ].join("\n");
}
