/** Money at stake: revenue at risk, and what-if scenarios with the assumptions they rest on. */
import { styled, type Block, type Section } from "../document.js";
import type { Report } from "../report.js";

export function valueView(report: Report): Section | null {
  const v = report.value;
  if (!v) return null;
  const blocks: Block[] = [
    { kind: "note", text: `revenue at risk = the category's revenue over the window${v.windowMonths === null ? "" : ` (${v.windowMonths} months)`} × its churn rate` },
    {
      kind: "table",
      id: "revenue-at-risk",
      total: true,
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "customers", label: "customers", unit: "count" },
        { key: "revenue", label: "revenue", unit: "money" },
        { key: "churn_rate", label: "churn rate", unit: "share" },
        { key: "revenue_at_risk", label: "revenue at risk", unit: "money" },
      ],
      rows: [
        ...v.revenueAtRisk.byCategory.map((c) => [c.category, c.customers, c.revenue, c.churnRate, c.revenueAtRisk]),
        [styled("total", "strong"), null, null, null, v.revenueAtRisk.total],
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
