/** Retention and lifetime value by category. */
import { styled, type Block, type Cell, type Section } from "../document.js";
import { num, signedOrDash } from "../format.js";
import type { Report } from "../report.js";

export function retentionView(report: Report): Section | null {
  const r = report.retention;
  if (!r) return null;
  const rows: Cell[][] = [...r.byCategory.map((row) => ({ label: styled(row.category, null), ...row })), { label: styled("all", "strong"), ...r.overall }].map((c) => [
    c.label,
    c.customers,
    c.revenuePerCustomer,
    c.revenueMedian,
    c.grossRevenueRetention,
    c.netRevenueRetention,
    c.monthlyHazard,
    c.annualChurn,
    c.expectedLifetimeMonths,
    c.monthlyValue,
    c.lifetimeValue,
    c.discountedLifetimeValue,
  ]);
  const blocks: Block[] = [
    {
      kind: "table",
      id: "by-category",
      total: true,
      columns: [
        { key: "category", label: "category", unit: "text" },
        { key: "customers", label: "customers", unit: "count", drop: 3 },
        { key: "revenue_per_customer", label: "mean revenue", unit: "money", drop: 4 },
        { key: "revenue_median", label: "median revenue", unit: "money", drop: 5 },
        { key: "gross_revenue_retention", label: "GRR", unit: "share", drop: 2 },
        { key: "net_revenue_retention", label: "NRR", unit: "share", drop: 2 },
        { key: "monthly_churn", label: "monthly churn", unit: "share", decimals: 2, drop: 1 },
        { key: "annual_churn", label: "annual churn", unit: "share" },
        { key: "lifetime_months", label: "lifetime (months)", unit: "number", decimals: 1 },
        { key: "monthly_value", label: `${r.basis} / month`, unit: "money", drop: 1 },
        { key: "lifetime_value", label: "lifetime value", unit: "money", drop: 2 },
        { key: "discounted_lifetime_value", label: "discounted lifetime value", unit: "money" },
      ],
      rows,
    },
    {
      kind: "note",
      text:
        `revenue-weighted NPS ${signedOrDash(r.revenueWeightedNps, 1)}; GRR/NRR: the customers with revenue in the window's first period, their revenue in its last period against its first; ` +
        `monthly churn = churned / customer-months at risk; lifetime value = ${r.basis} per customer-month / monthly churn (undiscounted, unbounded); ` +
        `discounted = the same ${r.basis} over ${r.discount.horizonMonths} months at most, discounted at ${(r.discount.annualRate * 100).toFixed(1).replace(/\.0$/, "")}% a year`,
    },
  ];
  if (r.cohort) {
    const c = r.cohort;
    blocks.push(
      {
        kind: "table",
        id: "cohort",
        title: `12-month revenue retention: the customers with revenue in ${c.start}, their revenue in ${c.end}`,
        columns: [
          { key: "category", label: "category", unit: "text" },
          { key: "customers", label: "customers", unit: "count" },
          { key: "start_revenue", label: c.start, unit: "money", drop: 1 },
          { key: "end_revenue", label: c.end, unit: "money", drop: 1 },
          { key: "gross_revenue_retention", label: "GRR", unit: "share" },
          { key: "net_revenue_retention", label: "NRR", unit: "share" },
        ],
        rows: [...c.byCategory.map((k) => ({ label: styled(k.category, null), ...k })), { label: styled("all", "strong"), ...c.overall }].map((k): Cell[] => [
          k.label,
          k.customers,
          k.startRevenue,
          k.endRevenue,
          k.grossRevenueRetention,
          k.netRevenueRetention,
        ]),
      },
    );
  } else blocks.push({ kind: "note", text: "12-month revenue retention needs 13 months of finance or more" });
  if (r.ltvRatio) {
    const poisson = r.ltvRatio.resampling.promoter === "poisson" || r.ltvRatio.resampling.detractor === "poisson";
    blocks.push({ kind: "sentence", strong: true, text: r.ltvRatio.summary + (r.ltvRatio.resamples > 0 ? ` — ${num(r.ltvRatio.resamples)} bootstrap resamples${poisson ? " (Poisson)" : ""}, seed ${r.ltvRatio.seed}` : "") });
  }
  return { id: "retention", title: "Retention and lifetime value by category", blocks };
}
