import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { close } from "../support/nordic-expected.js";
import { runJson } from "../support/run-cli.js";

// R: per region, NPS over all responses and the matched customers' revenue per customer, margin per
// customer and churn rate; across regions lm(revenue_per_customer ~ nps), cor.test(pearson), and
// Spearman's rho with the t approximation on n - 2 df (shared/reference/nordic-expected.json).
interface RLinkage {
  groups: { group: string; nps: number; customers: number; revenue_per_customer: number; margin_per_customer: number; churn_rate: number }[];
  slope: number;
  slope_se: number;
  slope_p: number;
  intercept: number;
  r_squared: number;
  pearson_r: number;
  pearson_p: number;
  spearman_rho: number;
  spearman_p: number;
}

describe("group linkage on the Nordic reference data equals R", () => {
  const expected = readJsonFixture<{ group_linkage: RLinkage }>("reference", "nordic-expected.json").group_linkage;
  let linkage: NonNullable<Report["linkage"]>;
  beforeAll(async () => {
    const report = await runJson<Report>([
      "analyze", "--survey", fixturePath("reference", "nordic-survey.csv"), "--finance", fixturePath("reference", "nordic-finance.csv"), "--by", "region", "--bootstrap", "0",
    ]);
    linkage = report.linkage!;
  });
  it("per group: NPS, customers, revenue and margin per customer, churn rate", () => {
    expect(linkage.groups.map((g) => g.group).sort()).toEqual(expected.groups.map((g) => g.group).sort());
    for (const want of expected.groups) {
      const got = linkage.groups.find((g) => g.group === want.group)!;
      expect(got.customers, want.group).toBe(want.customers);
      close(got.nps, want.nps, `${want.group} nps`);
      close(got.revenuePerCustomer, want.revenue_per_customer, `${want.group} revenue per customer`);
      close(got.marginPerCustomer, want.margin_per_customer, `${want.group} margin per customer`);
      close(got.churnRate, want.churn_rate, `${want.group} churn rate`);
    }
  });
  it("across groups, for revenue per customer: slope, its SE and p, intercept, R², Pearson and Spearman", () => {
    const kpi = linkage.byKpi.find((k) => k.kpi === "revenuePerCustomer")!;
    expect(kpi.n).toBe(8);
    close(kpi.slope, expected.slope, "slope");
    close(kpi.slopeStdError, expected.slope_se, "slope SE");
    close(kpi.slopeP, expected.slope_p, "slope p");
    close(kpi.intercept, expected.intercept, "intercept");
    close(kpi.rSquared, expected.r_squared, "R²");
    close(kpi.pearsonR, expected.pearson_r, "Pearson r");
    close(kpi.pearsonP, expected.pearson_p, "Pearson p");
    close(kpi.spearmanRho, expected.spearman_rho, "Spearman rho");
    close(kpi.spearmanP, expected.spearman_p, "Spearman p");
  });
  it("says it in words, with the interval and the number of groups", () => {
    const kpi = linkage.byKpi.find((k) => k.kpi === "revenuePerCustomer")!;
    expect(kpi.summary).toMatch(/^each \+10 NPS points goes with \+1,522 revenue per customer \(95% CI [\d,]+ to [\d,]+, 8 groups\)$/);
    expect(linkage.byKpi.map((k) => k.kpi)).toEqual(["revenuePerCustomer", "marginPerCustomer", "churnRate", "revenueGrowth"]);
  });
});
