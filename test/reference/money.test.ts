import { beforeAll, describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture } from "../support/fixtures.js";
import { close } from "../support/nordic-expected.js";
import { runJson } from "../support/run-cli.js";

// fixtures/reference/nordic-money.R computes, with base R and independently of loyalty, on the Nordic
// reference data: retention and lifetime value by category, revenue-weighted NPS, revenue at risk and
// the three default scenarios, the group linkage weighted by responses (lm(weights = )), NPS by
// quarter with the Wald change and the paired t test (t.test(paired = TRUE)), the one-quarter lag
// linkage, and the service-profit chain on nordic-employees.csv (cor.test: r, p, Fisher-z interval).
type Figures = Record<string, number | string>;
interface RMoney {
  revenueWeightedNps: number;
  retention: Figures[];
  overall: Figures;
  ltvRatio: number;
  forwardRevenueAtRisk: { category: string; activeCustomers: number; runRate: number; leaveProbability: number; probabilitySource: string; revenueAtRisk: number }[];
  discountedLifetimeValue: { category: string; discountedLifetimeValue: number }[];
  discountedOverall: number;
  claims: {
    firstPurchaseMultiple: { category: string; lifetimeRevenue: number; firstPeriodRevenue: number; multiple: number }[];
    retentionShareOfProfit: { oneYearMargin: number; annualMargin: number; share: number };
    acquisition: { category: string; keepValue: number; replaceCost: number; ratio: number }[];
  };
  scenarios: Record<string, { customers: number; oneYearRevenue: number; oneYearMargin: number; lifetimeValue: number }>;
  weightedLinkage: Figures[];
  trend: {
    periods: { period: string; n: number; nps: number; stdError: number }[];
    changes: { from: string; to: string; change: number; stdError: number; p: number; paired: Figures }[];
  };
  lag: { rows: { group: string; period: string; nps: number; customers: number; revenuePerCustomer: number; marginPerCustomer: number; churnRate: number | null }[]; byKpi: Figures[] };
  employees: { groups: { region: string; enps: number; nps: number; margin: number }[]; chain: Record<string, { n: number; r: number; p: number; ciLow: number; ciHigh: number }> };
}

const expected = readJsonFixture<RMoney>("reference", "nordic-money-expected.json");
const FIELDS = [
  "customers", "revenuePerCustomer", "revenueMedian", "marginPerCustomer", "marginMedian", "startCohort", "startRevenue", "endRevenue",
  "grossRevenueRetention", "netRevenueRetention", "churned", "customerMonths", "monthlyHazard", "annualChurn", "expectedLifetimeMonths",
  "monthlyValue", "lifetimeValue",
] as const;

describe("the money sections on the Nordic reference data equal R", () => {
  let report: Report;
  beforeAll(async () => {
    report = await runJson<Report>([
      "analyze",
      "--survey", fixturePath("reference", "nordic-survey.csv"),
      "--finance", fixturePath("reference", "nordic-finance.csv"),
      "--employees", fixturePath("reference", "nordic-employees.csv"),
      "--by", "region", "--period", "quarter", "--lag", "1", "--weighted-linkage", "--bootstrap", "200", "--acquisition-cost", "500",
    ]);
  }, 60_000);

  it("the report, with every money section, fits its JSON Schema", () => {
    const parsed = ReportSchema.safeParse(report);
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
    for (const section of ["retention", "value", "trend", "lag", "coverage", "employees"] as const) expect(report[section], section).not.toBeNull();
  });

  it("retention and lifetime value by category and overall, and revenue-weighted NPS", () => {
    const r = report.retention!;
    expect(r.basis).toBe("margin");
    close(r.revenueWeightedNps, expected.revenueWeightedNps, "revenue-weighted NPS");
    for (const want of expected.retention) {
      const got = r.byCategory.find((c) => c.category === want.category)!;
      for (const field of FIELDS) close(got[field], want[field] as number, `${want.category} ${field}`);
    }
    for (const field of FIELDS) close(r.overall[field], expected.overall[field] as number, `overall ${field}`);
  });

  it("promoter lifetime value / detractor lifetime value, with a bootstrap interval around it", () => {
    const ratio = report.retention!.ltvRatio!;
    close(ratio.ratio, expected.ltvRatio, "LTV ratio");
    expect(ratio.resamples).toBe(200);
    // a few hundred customers per category: n draws with replacement, as R's boot
    expect(ratio.resampling).toEqual({ promoter: "rows", detractor: "rows" });
    expect(ratio.ciLow!).toBeLessThan(ratio.ratio);
    expect(ratio.ciHigh!).toBeGreaterThan(ratio.ratio);
    expect(ratio.summary).toMatch(/^a promoter is worth 2\.7× a detractor in lifetime margin \(95% CI \d\.\d× to \d\.\d×\)$/);
  });

  it("the discounted lifetime value (10% a year, 60 months) beside the undiscounted one", () => {
    for (const want of expected.discountedLifetimeValue) {
      const got = report.retention!.byCategory.find((c) => c.category === want.category)!;
      close(got.discountedLifetimeValue, want.discountedLifetimeValue, `${want.category} discounted LTV`);
      expect(got.discountedLifetimeValue!).toBeLessThan(got.lifetimeValue!);
    }
    close(report.retention!.overall.discountedLifetimeValue, expected.discountedOverall, "overall discounted LTV");
    expect(report.retention!.discount).toEqual({ annualRate: 0.1, horizonMonths: 60 });
  });

  it("the headline claims: worth N× the first period, retention as a share of a year's margin, keeping against replacing", () => {
    const claims = report.value!.claims!;
    for (const want of expected.claims.firstPurchaseMultiple) {
      const got = claims.firstPurchaseMultiple.find((c) => c.category === want.category)!;
      for (const key of ["lifetimeRevenue", "firstPeriodRevenue", "multiple"] as const) close(got[key], want[key], `${want.category} ${key}`);
    }
    const share = claims.retentionShareOfProfit!;
    expect(share.scenario).toBe("retention=+5pp");
    for (const key of ["oneYearMargin", "annualMargin", "share"] as const) close(share[key], expected.claims.retentionShareOfProfit[key], key);
    expect(claims.acquisition!.cost).toBe(500);
    for (const want of expected.claims.acquisition) {
      const got = claims.acquisition!.byCategory.find((c) => c.category === want.category)!;
      close(got.keepValue, want.keepValue, `${want.category} keep value`);
      close(got.ratio, want.ratio, `${want.category} keep / replace`);
    }
  });

  it("forward revenue at risk and the three default scenarios", () => {
    const v = report.value!;
    expect(v.revenueAtRisk.byCategory.map((c) => c.category)).toEqual(expected.forwardRevenueAtRisk.map((c) => c.category));
    for (const want of expected.forwardRevenueAtRisk) {
      const got = v.revenueAtRisk.byCategory.find((c) => c.category === want.category)!;
      expect(got.activeCustomers, want.category).toBe(want.activeCustomers);
      expect(got.probabilitySource).toBe(want.probabilitySource);
      close(got.runRate, want.runRate, `${want.category} run-rate`);
      close(got.leaveProbability, want.leaveProbability, `${want.category} probability of leaving`);
      close(got.revenueAtRisk, want.revenueAtRisk, `${want.category} revenue at risk`);
    }
    close(v.revenueAtRisk.total, expected.forwardRevenueAtRisk.reduce((s, c) => s + c.revenueAtRisk, 0), "total revenue at risk");
    expect(v.scenarios.map((s) => s.name)).toEqual(Object.keys(expected.scenarios));
    for (const got of v.scenarios) {
      const want = expected.scenarios[got.name]!;
      for (const field of ["customers", "oneYearRevenue", "oneYearMargin", "lifetimeValue"] as const) close(got[field], want[field], `${got.name} ${field}`);
      expect(got.assumptions.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("the group linkage weighted by responses (weighted least squares)", () => {
    for (const want of expected.weightedLinkage) {
      const got = report.linkage!.weighted!.find((k) => k.kpi === want.kpi)!;
      for (const field of ["slope", "slopeStdError", "slopeP", "slopeCiLow", "slopeCiHigh", "intercept", "rSquared"] as const) close(got[field], want[field] as number, `${want.kpi} ${field}`);
      expect(got.n).toBe(want.n);
      close(got.pearsonR! ** 2, want.rSquared as number, `${want.kpi} weighted r²`);
    }
  });

  it("NPS by quarter, the change between quarters, and the paired test", () => {
    const t = report.trend!;
    expect(t.periods.map((p) => p.period)).toEqual(expected.trend.periods.map((p) => p.period));
    expected.trend.periods.forEach((want, i) => {
      expect(t.periods[i]!.n).toBe(want.n);
      close(t.periods[i]!.nps, want.nps, `${want.period} nps`);
      close(t.periods[i]!.stdError, want.stdError, `${want.period} SE`);
    });
    expected.trend.changes.forEach((want, i) => {
      const got = t.changes[i]!;
      expect([got.from, got.to]).toEqual([want.from, want.to]);
      close(got.change, want.change, `${want.to} change`);
      close(got.stdError, want.stdError, `${want.to} change SE`);
      close(got.p, want.p, `${want.to} change p`);
      expect(got.paired!.customers).toBe(want.paired.customers);
      for (const field of ["change", "stdError", "t", "p", "ciLow", "ciHigh"] as const) close(got.paired![field], want.paired[field] as number, `${want.to} paired ${field}`);
    });
  });

  it("the one-quarter lag: each region's NPS in quarter t against its money in quarter t + 1", () => {
    const lag = report.lag!;
    expect(lag.rows.length).toBe(expected.lag.rows.length);
    for (const want of expected.lag.rows) {
      const got = lag.rows.find((r) => r.group === want.group && r.period === want.period)!;
      expect(got, `${want.group} ${want.period}`).toBeDefined();
      expect(got.customers).toBe(want.customers);
      close(got.nps, want.nps, `${want.group} ${want.period} nps`);
      close(got.revenuePerCustomer, want.revenuePerCustomer, `${want.group} ${want.period} revenue`);
      close(got.marginPerCustomer, want.marginPerCustomer, `${want.group} ${want.period} margin`);
      if (want.churnRate === null) expect(got.churnRate).toBeNull();
      else close(got.churnRate, want.churnRate, `${want.group} ${want.period} churn`);
    }
    for (const want of expected.lag.byKpi) {
      const got = lag.byKpi.find((k) => k.kpi === want.kpi)!;
      expect(got.n).toBe(want.n);
      for (const field of ["slope", "slopeStdError", "slopeP", "intercept", "rSquared"] as const) close(got[field], want[field] as number, `lag ${want.kpi} ${field}`);
    }
  });

  it("the service-profit chain: eNPS per region, and the correlations with Fisher-z intervals", () => {
    const e = report.employees!;
    expect(e.mode).toBe("respondents");
    expect(e.rowsRead).toBe(221);
    for (const want of expected.employees.groups) {
      const got = e.groups.find((g) => g.group === want.region)!;
      close(got.employee, want.enps, `${want.region} eNPS`);
      close(got.nps, want.nps, `${want.region} NPS`);
      close(got.money, want.margin, `${want.region} margin`);
    }
    const links = { employee_nps: ["employee", "nps"], nps_money: ["nps", "money"], employee_money: ["employee", "money"] } as const;
    for (const [key, [from, to]] of Object.entries(links)) {
      const want = expected.employees.chain[key]!;
      const got = e.chain.find((l) => l.from === from && l.to === to)!;
      expect(got.n).toBe(want.n);
      for (const field of ["r", "p", "ciLow", "ciHigh"] as const) close(got[field], want[field], `${key} ${field}`);
    }
  });
});
