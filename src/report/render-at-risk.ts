/** The rescue list as JSON, CSV (CRM-ready, formula-safe) and a table. */
import { Chalk } from "chalk";
import type { AtRiskCustomer } from "../metrics/at-risk.js";
import { renderCsv, roundTo } from "./render-csv.js";
import { styled, type Cell, type TableBlock } from "./document.js";
import { renderTableBlock, wrapText } from "./render-terminal.js";
import { shortComment } from "./render-list.js";

export interface AtRiskReport {
  tool: { name: "loyalty"; version: string };
  generatedAt: string;
  survey: string;
  finance: string;
  include: ("detractor" | "passive")[];
  top: number;
  /** Customers of the included categories before --top cut the list. */
  eligible: number;
  customers: (Omit<AtRiskCustomer, "lastResponseDate"> & { lastResponseDate: string | null })[];
}

export function isoDate(milliseconds: number | null): string | null {
  return milliseconds === null ? null : new Date(milliseconds).toISOString().slice(0, 10);
}

export function renderAtRiskJson(report: AtRiskReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The list as CSV; money rounded to `moneyDecimals` (the currency's decimals: 2 unless it has none or three). */
export function renderAtRiskCsv(report: AtRiskReport, moneyDecimals = 2): string {
  const money = (v: number | null) => (v === null ? null : roundTo(v, moneyDecimals));
  return renderCsv(
    ["rank", "customer_id", "category", "score", "group", "last_response_date", "revenue", "margin", "months_active", "churned", "comment"],
    report.customers.map((c) => [c.rank, c.customerId, c.category, c.score, c.group, c.lastResponseDate, money(c.revenue), money(c.margin), c.monthsActive, c.churned, c.comment]),
  );
}

export function renderAtRiskTable(report: AtRiskReport, options: { color: boolean; width?: number }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, options.width ?? 80);
  const withComments = report.customers.some((c) => c.comment !== null);
  const table: TableBlock = {
    kind: "table",
    id: "customers",
    columns: [
      { key: "rank", label: "#", unit: "count" },
      { key: "customer", label: "customer", unit: "text" },
      { key: "score", label: "score", unit: "text", align: "right" },
      { key: "group", label: "group", unit: "text", drop: 2 },
      { key: "last_answer", label: "last answer", unit: "text", drop: 3 },
      { key: "revenue", label: "revenue", unit: "money" },
      { key: "margin", label: "margin", unit: "money", drop: 1 },
      { key: "months", label: "months", unit: "count", drop: 4 },
      { key: "status", label: "status", unit: "text" },
      ...(withComments ? [{ key: "comment", label: "latest comment", unit: "text" as const, drop: 5 }] : []),
    ],
    rows: report.customers.map((c): Cell[] => [
      c.rank,
      c.customerId,
      styled(`${c.score} ${c.category === "detractor" ? "D" : "P"}`, c.category === "detractor" ? "bad" : null),
      c.group ?? "",
      c.lastResponseDate ?? "",
      c.revenue,
      c.margin,
      c.monthsActive,
      c.churned === null ? "" : styled(c.churned ? "left" : "active", c.churned ? "muted" : "strong"),
      ...(withComments ? [shortComment(c.comment)] : []),
    ]),
  };
  const active = report.customers.filter((c) => c.churned === false);
  const atStake = active.reduce((sum, c) => sum + c.revenue, 0);
  const money = (v: number) => Math.round(v).toLocaleString("en-US");
  return [
    ...wrapText(`The ${report.customers.length.toLocaleString("en-US")} most valuable ${report.include.join(" and ")}s (of ${report.eligible.toLocaleString("en-US")}), by revenue over the window`, width).map((l) => chalk.bold(l)),
    ...renderTableBlock(table, width, chalk),
    ...wrapText(`${active.length.toLocaleString("en-US")} of them ${active.length === 1 ? "is" : "are"} still active, with ${money(atStake)} of revenue over the window; the others have already left.`, width),
    "",
  ].join("\n");
}
