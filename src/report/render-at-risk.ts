/** The rescue list as JSON, CSV (CRM-ready, formula-safe) and a table. */
import { Chalk } from "chalk";
import Table from "cli-table3";
import type { AtRiskCustomer } from "../metrics/at-risk.js";
import { renderCsv, roundTo } from "./render-csv.js";
import { safeLabel } from "./render-terminal.js";

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
    ["rank", "customer_id", "category", "score", "group", "last_response_date", "revenue", "margin", "months_active", "churned"],
    report.customers.map((c) => [c.rank, c.customerId, c.category, c.score, c.group, c.lastResponseDate, money(c.revenue), money(c.margin), c.monthsActive, c.churned]),
  );
}

export function renderAtRiskTable(report: AtRiskReport, options: { color: boolean }): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const money = (v: number | null) => (v === null ? "–" : Math.round(v).toLocaleString("en-US"));
  const table = new Table({
    head: ["#", "customer", "score", "group", "last answer", "revenue", "margin", "months", "status"].map((h) => chalk.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    colAligns: ["right", "left", "right", "left", "left", "right", "right", "right", "left"],
  });
  for (const c of report.customers) {
    table.push([
      String(c.rank),
      safeLabel(c.customerId),
      `${c.score} ${c.category === "detractor" ? chalk.red("D") : "P"}`,
      c.group === null ? "" : safeLabel(c.group),
      c.lastResponseDate ?? "",
      money(c.revenue),
      money(c.margin),
      c.monthsActive === null ? "–" : String(c.monthsActive),
      c.churned === null ? "" : c.churned ? chalk.dim("left") : chalk.bold("active"),
    ]);
  }
  const active = report.customers.filter((c) => c.churned === false);
  const atStake = active.reduce((sum, c) => sum + c.revenue, 0);
  return [
    chalk.bold(`The ${report.customers.length} most valuable ${report.include.join(" and ")}s (of ${report.eligible}), by revenue over the window`),
    table.toString(),
    `${active.length} of them are still active, with ${money(atStake)} of revenue over the window; the others have already left.`,
    "",
  ].join("\n");
}
