/** Revenue, margin and churn by promoter / passive / detractor, over the matched customers. */
import { styled, type Block, type Cell, type Section } from "../document.js";
import type { Report } from "../report.js";

export function revenueView(report: Report): Section | null {
  const revenue = report.revenue;
  if (!revenue) return null;
  const churn = new Map(report.churn?.byCategory.map((c) => [c.category, c]));
  const overall = report.churn?.overall;
  const t = revenue.total;
  const rows: Cell[][] = revenue.byCategory.map((row) => {
    const c = churn.get(row.category);
    return [row.category, row.customers, row.revenue, row.revenuePerCustomer, row.margin, row.marginPerCustomer, row.revenueShare, c ? c.churned : null, c ? c.churnRate : null];
  });
  rows.push([
    styled("all", "strong"),
    t.customers,
    t.revenue,
    t.customers === 0 ? null : t.revenue / t.customers,
    t.margin,
    t.margin === null || t.customers === 0 ? null : t.margin / t.customers,
    1,
    overall ? overall.churned : null,
    overall ? overall.churnRate : null,
  ]);
  const blocks: Block[] = [
    {
      kind: "table",
      id: "by-category",
      total: true,
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "customers", label: "customers", unit: "count" },
        { key: "revenue", label: "revenue", unit: "money", drop: 2 },
        { key: "revenue_per_customer", label: "revenue / customer", unit: "money" },
        { key: "margin", label: "margin", unit: "money", drop: 2 },
        { key: "margin_per_customer", label: "margin / customer", unit: "money", drop: 1 },
        { key: "revenue_share", label: "revenue share", unit: "share", drop: 3 },
        { key: "churned", label: "churned", unit: "count", drop: 4 },
        { key: "churn_rate", label: "churn rate", unit: "share" },
      ],
      rows,
    },
  ];
  if (report.churn) {
    const c = report.churn;
    blocks.push({
      kind: "note",
      text: c.flag
        ? `churned = the churn flag "${c.flag.column}" in ${c.flag.file}${c.flag.unknown > 0 ? ` (${c.flag.unknown} customers with no readable flag left out)` : ""}`
        : c.after === 1
          ? `churned = no finance rows in the file's last period (${c.lastPeriod})`
          : `churned = no finance rows in the file's last ${c.after} periods (to ${c.lastPeriod})`,
    });
    const ratios = report.churn.byCategory.filter((c) => c.category !== "promoter" && c.ratioToPromoters !== null);
    if (ratios.length > 0) {
      blocks.push({
        kind: "sentence",
        text: `churn against promoters': ${ratios.map((c) => `${c.category}s ${c.ratioToPromoters!.toFixed(2)}× (95% CI ${c.ratioCiLow!.toFixed(2)} to ${c.ratioCiHigh!.toFixed(2)})`).join(", ")}`,
      });
    }
  }
  blocks.push({
    kind: "chart",
    id: "revenue-by-category",
    title: "Revenue per customer and churn by category",
    chart: {
      type: "bars",
      categories: revenue.byCategory.map((r) => r.category),
      measures: [
        { label: "revenue per customer", unit: "money", values: revenue.byCategory.map((r) => r.revenuePerCustomer) },
        ...(report.churn ? [{ label: "churn rate", unit: "share" as const, values: revenue.byCategory.map((r) => churn.get(r.category)?.churnRate ?? null) }] : []),
      ],
    },
  });
  return { id: "revenue", title: "Revenue, margin and churn by category (matched customers)", blocks };
}
