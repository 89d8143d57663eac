/**
 * Number formatting and table construction shared by the table renderers: rounded for reading,
 * thousands grouped, no "-0", a dash for an undefined value.
 */
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";
import type { Column, Unit, Value } from "./document.js";

export const dash = "–";

export function grouped(value: number, decimals: number): string {
  // a table never shows NaN or Infinity: a value that is not a number is shown as undefined
  if (!Number.isFinite(value)) return dash;
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".");
  const withCommas = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return sign + withCommas + (fraction ? `.${fraction}` : "");
}

/** toFixed without a minus sign on a value that rounds to zero ("-0.000"). */
export const fixed = (value: number, decimals: number) => {
  if (!Number.isFinite(value)) return dash;
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
};
export const num = (value: number | null, decimals = 0) => (value === null ? dash : grouped(value, decimals));
export const pct = (value: number | null, decimals = 1) => (value === null ? dash : `${grouped(value * 100, decimals)}%`);
export const signed = (value: number, decimals = 1) => (!Number.isFinite(value) ? dash : "") || (value > 0 && Number(value.toFixed(decimals)) !== 0 ? "+" : "") + grouped(value, decimals);
/** Like signed, with a dash for null (money with 0 decimals by default). */
export const signedOrDash = (value: number | null, decimals = 0) => (value === null ? dash : signed(value, decimals));

export function pValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return dash;
  if (p < 0.001) return "<0.001";
  return p.toFixed(3);
}

export function makeTable(head: string[], chalk: ChalkInstance, alignRightFrom = 1): Table.Table {
  return new Table({
    head: head.map((h) => chalk.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    colAligns: head.map((_, i) => (i >= alignRightFrom ? "right" : "left")),
  });
}

/** The bar of a share, in eighths of a cell: `share` 0…1 over `width` cells. */
export function bar(share: number, width = 20): string {
  const cells = Math.round(Math.min(1, Math.max(0, share)) * width * 2) / 2;
  return "█".repeat(Math.floor(cells)) + (cells % 1 ? "▌" : "");
}

/** One number of a column, rounded for reading (tables, Markdown, HTML). */
export function formatNumber(value: number | null, unit: Unit, decimals?: number): string {
  if (value === null || !Number.isFinite(value)) return dash;
  switch (unit) {
    case "count":
      return num(value, decimals ?? 0);
    case "money":
      return num(value, decimals ?? 0);
    case "signedMoney":
      return signed(value, decimals ?? 0);
    case "points":
      return signed(value, decimals ?? 1);
    case "share":
      return pct(value, decimals ?? 1);
    case "pp":
      return `${fixed(value * 100, decimals ?? 2)} pp`;
    case "pValue":
      return pValue(value);
    case "bar":
      return bar(value);
    case "number":
    case "text":
      return fixed(value, decimals ?? 2);
  }
}

/** A cell's value as people read it; `label` makes text from the data safe for the medium. */
export function formatValue(value: Value, column: Column, label: (text: string) => string = (t) => t): string {
  if (value === null) return column.unit === "text" ? "" : dash;
  if (typeof value === "string") return label(value);
  if (typeof value === "number") return formatNumber(value, column.unit, column.decimals);
  if (value.low === null && value.high === null) return dash;
  return `${formatNumber(value.low, column.unit, column.decimals)} to ${formatNumber(value.high, column.unit, column.decimals)}`;
}

/** How a column aligns: text left, numbers right. */
export function alignOf(column: Column): "left" | "right" {
  return column.align ?? (column.unit === "text" || column.unit === "bar" ? "left" : "right");
}
