/** Money at stake: revenue at risk, and what-if scenarios with the assumptions they rest on. */
import { styled, type Block, type Section } from "../document.js";
import type { Report } from "../report.js";

export function valueView(report: Report): Section | null {
  const v = report.value;
  if (!v) return null;
  const blocks: Block[] = [
    {
      kind: "note",
      text:
        "revenue at risk = the annualised revenue of the customers still there (their revenue per period over the file's last three periods) × their category's probability of leaving within 12 months " +
        "(1 − S(12) after the answer where the follow-up reaches a year, else from the monthly hazard)",
    },
    {
      kind: "table",
      id: "revenue-at-risk",
      total: true,
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "active_customers", label: "still there", unit: "count" },
        { key: "run_rate", label: "annual run-rate", unit: "money" },
        { key: "leave_probability", label: "leaving in 12 months", unit: "share" },
        { key: "probability_source", label: "from", unit: "text", drop: 1 },
        { key: "revenue_at_risk", label: "revenue at risk", unit: "money" },
      ],
      rows: [
        ...v.revenueAtRisk.byCategory.map((c) => [c.category, c.activeCustomers, c.runRate, c.leaveProbability, c.probabilitySource === "survival" ? "survival curve" : c.probabilitySource === "hazard" ? "hazard" : null, c.revenueAtRisk]),
        [styled("total", "strong"), v.revenueAtRisk.byCategory.reduce((sum, c) => sum + c.activeCustomers, 0), v.revenueAtRisk.byCategory.reduce((sum, c) => sum + c.runRate, 0), null, null, v.revenueAtRisk.total],
      ],
    },
    {
      kind: "table",
      id: "scenarios",
      columns: [
        { key: "scenario", label: "scenario", unit: "text" },
        { key: "customers", label: "customers", unit: "count", decimals: 1 },
        { key: "one_year_revenue", label: "one-year revenue", unit: "signedMoney" },
        { key: "one_year_margin", label: "one-year margin", unit: "signedMoney", drop: 1 },
        { key: "lifetime_value", label: "lifetime value", unit: "signedMoney" },
      ],
      rows: v.scenarios.map((s) => [s.name, s.customers, s.oneYearRevenue, s.oneYearMargin, s.lifetimeValue]),
    },
  ];
  for (const s of v.scenarios) blocks.push({ kind: "list", title: `${s.name} rests on:`, items: s.assumptions });
  return { id: "value", title: "Money at stake", blocks };
}
