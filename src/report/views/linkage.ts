/** NPS and money across groups: the group table, the slope of each KPI on NPS, and the scatter. */
import { lineConfidenceBand, spanOf } from "../../stats/line-band.js";
import type { Block, Section } from "../document.js";
import type { Report } from "../report.js";
import { kpiTable } from "./kpi-table.js";

export function linkageView(report: Report): Section | null {
  const l = report.linkage;
  if (!l) return null;
  const blocks: Block[] = [
    {
      kind: "table",
      id: "groups",
      columns: [
        { key: "group", label: l.groupBy, unit: "text" },
        { key: "nps", label: "NPS", unit: "points" },
        { key: "responses", label: "responses", unit: "count", drop: 2 },
        { key: "customers", label: l.level === "groups" ? "customers (mean)" : "customers", unit: "count", drop: 3 },
        { key: "revenue_per_customer", label: "revenue / customer", unit: "money" },
        { key: "margin_per_customer", label: "margin / customer", unit: "money", drop: 1 },
        { key: "churn_rate", label: "churn rate", unit: "share" },
        { key: "revenue_growth", label: "revenue growth", unit: "share", drop: 1 },
      ],
      rows: [...l.groups].sort((a, b) => b.nps - a.nps).map((g) => [g.group, g.nps, g.responses, g.customers, g.revenuePerCustomer, g.marginPerCustomer, g.churnRate, g.revenueGrowth]),
    },
  ];
  if (l.level === "groups") blocks.push({ kind: "note", text: "from a finance file per group (branch P&L): money per customer = the window's money / the mean customers per period" });
  blocks.push(kpiTable("kpis", l.byKpi));
  for (const k of l.byKpi) if (k.summary) blocks.push({ kind: "sentence", text: k.summary });
  if (l.weighted) {
    blocks.push({ kind: "subheading", text: "weighted by each group's responses (weighted least squares; Spearman unweighted)" }, kpiTable("weighted-kpis", l.weighted));
    for (const k of l.weighted) if (k.summary) blocks.push({ kind: "sentence", text: k.summary });
  }
  const points = l.groups.filter((g) => g.revenuePerCustomer !== null).map((g) => ({ label: g.group, x: g.nps, y: g.revenuePerCustomer! }));
  if (points.length >= 2) {
    const xs = points.map((p) => p.x);
    blocks.push({
      kind: "chart",
      id: "linkage-scatter",
      title: `Revenue per customer against NPS, per ${l.groupBy}, with the fitted line and its 95% band`,
      chart: {
        type: "scatter",
        points,
        line: lineConfidenceBand(xs, points.map((p) => p.y), spanOf(xs)),
        xLabel: "NPS",
        yLabel: "revenue per customer",
      },
    });
  }
  return { id: "linkage", title: `NPS and money across ${l.groupBy} groups`, blocks };
}
