/** Money at stake: revenue at risk, and what-if scenarios with the assumptions they rest on. */
import { styled, type Block, type Section } from "../document.js";
import { num } from "../format.js";
import type { Report } from "../report.js";

/** The headline claims in words (shown in the section and, the first of them, in the headline). */
export function claimSentences(report: Report): string[] {
  const claims = report.value?.claims;
  const retention = report.retention;
  if (!claims || !retention) return [];
  const out: string[] = [];
  const horizon = `${retention.discount.horizonMonths} months at ${(retention.discount.annualRate * 100).toFixed(1).replace(/\.0$/, "")}% a year`;
  const promoters = claims.firstPurchaseMultiple.find((c) => c.category === "promoter");
  const detractors = claims.firstPurchaseMultiple.find((c) => c.category === "detractor");
  if (promoters?.multiple != null) {
    out.push(
      `a promoter is worth ${promoters.multiple.toFixed(1)}× their first period's revenue over ${horizon}` + (detractors?.multiple != null ? ` (a detractor ${detractors.multiple.toFixed(1)}×)` : ""),
    );
  }
  const share = claims.retentionShareOfProfit;
  if (share) out.push(`${share.scenario} is worth ${(share.share * 100).toFixed(1)}% of a year's margin (${num(share.oneYearMargin)} of ${num(share.annualMargin)})`);
  const keep = claims.acquisition?.byCategory.find((c) => c.category === "detractor");
  if (claims.acquisition && keep?.ratio != null) out.push(`keeping a detractor is worth ${keep.ratio.toFixed(1)}× what winning a new customer costs (${num(keep.keepValue)} against ${num(claims.acquisition.cost)})`);
  return out;
}

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
  const claims = claimSentences(report);
  if (claims.length > 0) {
    blocks.push({ kind: "subheading", text: "In the words of the loyalty literature, from this data" });
    for (const text of claims) blocks.push({ kind: "sentence", text });
    blocks.push({
      kind: "note",
      text: "worth its first period's revenue: discounted lifetime revenue (revenue per customer-month at the category's hazard) over the category's mean revenue in each customer's own first period; share of a year's margin: the scenario's one-year margin over the matched customers' margin per year",
    });
  }
  return { id: "value", title: "Money at stake", blocks };
}
