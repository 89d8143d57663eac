import { describe, expect, it } from "vitest";
import { kpiLinkage, linkageGroups } from "../../../src/metrics/linkage.js";
import { averageRanks, pearson, spearman } from "../../../src/stats/correlation.js";

describe("ranks and correlations", () => {
  it("ties share their average rank", () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
  it("Pearson r of exactly linear data is 1 with p 0; a constant variable gives null, not NaN", () => {
    const exact = pearson([1, 2, 3, 4], [3, 5, 7, 9]);
    expect(exact.r).toBeCloseTo(1, 14);
    expect(exact.p).toBeLessThan(1e-12);
    expect(pearson([1, 2, 3], [4, 4, 4])).toEqual({ r: null, p: null, n: 3 });
  });
  it("a correlation never leaves [-1, 1]: these exactly linear columns give 1.0000000000000002 unclamped", () => {
    const x = [-2.3, 22.8, -40.6];
    const y = x.map((v) => 78.78536100056604 + 9.0893225982236 * v);
    // the same sums without the clamp, to show the case is real
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mx, my] = [mean(x), mean(y)];
    const sxy = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0);
    const raw = sxy / (Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0)) * Math.sqrt(y.reduce((s, v) => s + (v - my) ** 2, 0)));
    expect(raw).toBeGreaterThan(1);
    expect(pearson(x, y).r).toBe(1);
    expect(pearson(x, y.map((v) => -v)).r).toBe(-1);
    const linked = kpiLinkage(
      linkageGroups(x.map((nps, i) => ({ group: `G${i}`, nps, responses: 10, customers: 10, revenue: 10 * y[i]!, margin: null, churned: null }))),
      "revenuePerCustomer",
    );
    expect(linked.pearsonR).toBeLessThanOrEqual(1);
    expect(linked.rSquared).toBeLessThanOrEqual(1);
  });
  it("Spearman's rho is Pearson's r of the ranks (hand-computed: a monotone but curved relation gives 1)", () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]).r).toBeCloseTo(1, 12);
    // ranks x 1..4 against y ranks 2,1,4,3: r = 0.6
    expect(spearman([1, 2, 3, 4], [20, 10, 40, 30]).r).toBeCloseTo(0.6, 12);
  });
});

describe("group linkage", () => {
  const groups = linkageGroups([
    { group: "A", nps: 10, responses: 12, customers: 10, revenue: 1000, margin: 300, churned: 2 },
    { group: "B", nps: 20, responses: 6, customers: 5, revenue: 600, margin: 200, churned: 1 },
    { group: "C", nps: 30, responses: 5, customers: 4, revenue: 560, margin: null, churned: null },
    { group: "D", nps: 0, responses: 1, customers: 0, revenue: 0, margin: 0, churned: 0 },
  ]);
  it("per group: revenue and margin per customer and churn rate, null where undefined", () => {
    expect(groups[0]).toEqual({ group: "A", nps: 10, responses: 12, customers: 10, revenuePerCustomer: 100, marginPerCustomer: 30, churnRate: 0.2, revenueGrowth: null });
    expect(groups[2]).toMatchObject({ revenuePerCustomer: 140, marginPerCustomer: null, churnRate: null });
    expect(groups[3]).toMatchObject({ revenuePerCustomer: null });
  });
  it("across groups: an exact line has slope 2 per NPS point; fewer than 3 groups give no slope", () => {
    // revenue per customer 100, 120, 140 at NPS 10, 20, 30: slope 2, intercept 80
    const revenue = kpiLinkage(groups, "revenuePerCustomer");
    expect(revenue.n).toBe(3);
    expect(revenue.slope).toBeCloseTo(2, 12);
    expect(revenue.intercept).toBeCloseTo(80, 10);
    expect(revenue.rSquared).toBeCloseTo(1, 12);
    const margin = kpiLinkage(groups, "marginPerCustomer");
    expect(margin).toMatchObject({ n: 2, slope: null, rSquared: null });
    expect(JSON.stringify(margin)).not.toMatch(/NaN|Infinity/);
  });
});
