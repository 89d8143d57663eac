/**
 * Number formatting and table construction shared by the table renderers: rounded for reading,
 * thousands grouped, no "-0", a dash for an undefined value.
 */
import type { ChalkInstance } from "chalk";
import Table from "cli-table3";

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
