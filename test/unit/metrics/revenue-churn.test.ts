import { describe, expect, it } from "vitest";
import { churnByCategory } from "../../../src/metrics/churn.js";
import { revenueByCategory, type CategorisedCustomer } from "../../../src/metrics/revenue-by-category.js";

const customers: (CategorisedCustomer & { churned: boolean })[] = [
  { category: "promoter", revenue: 100, cost: 60, churned: false },
  { category: "promoter", revenue: 300, cost: 200, churned: true },
  { category: "passive", revenue: 200, cost: 150, churned: false },
  { category: "detractor", revenue: 400, cost: 390, churned: true },
];

describe("revenueByCategory", () => {
  it("sums, averages and shares by category (hand-computed)", () => {
    const [promoter, passive, detractor] = revenueByCategory(customers);
    // promoters: revenue 100 + 300 = 400, cost 260, margin 140, 2 customers
    expect(promoter).toEqual({
      category: "promoter",
      customers: 2,
      revenue: 400,
      revenuePerCustomer: 200,
      cost: 260,
      margin: 140,
      marginPerCustomer: 70,
      revenueShare: 0.4,
      customerShare: 0.5,
    });
    expect(passive!.margin).toBe(50);
    expect(detractor!.revenueShare).toBe(0.4);
  });
  it("reports null per-customer values for an empty category and null cost without a cost column", () => {
    const rows = revenueByCategory([{ category: "promoter", revenue: 10, cost: null }]);
    expect(rows[1]).toMatchObject({ customers: 0, revenuePerCustomer: null, cost: null, margin: null });
    expect(rows[0]!.marginPerCustomer).toBeNull();
  });
});

describe("churnByCategory", () => {
  it("counts churned customers per category and overall", () => {
    const churn = churnByCategory(customers);
    expect(churn.byCategory.map((row) => row.churnRate)).toEqual([0.5, 0, 1]);
    expect(churn.overall).toEqual({ customers: 4, churned: 2, churnRate: 0.5 });
    expect(churnByCategory([]).overall.churnRate).toBeNull();
  });
});
