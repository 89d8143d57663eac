import { beforeAll, describe, expect, it } from "vitest";
import { ReportSchema, type Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture, relativeError } from "../support/fixtures.js";
import { runJson } from "../support/run-cli.js";

// Expected values: R 4.2 (lm, confint, car::vif, qnorm), shared/reference/nordic-expected.json,
// copied to fixtures/reference. R's keys are snake_case; the report's are camelCase.
interface RNps {
  group?: string;
  n: number;
  effective_n: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoter_share: number;
  detractor_share: number;
  nps: number;
  se: number;
  ci_low: number;
  ci_high: number;
}
interface RExpected {
  rows: { survey: number; finance: number; customers_in_finance: number; respondents: number; matched: number; unmatched_respondents: number };
  nps: { overall: RNps; by_region: RNps[]; by_segment: RNps[] };
  drivers: {
    n: number;
    dropped_incomplete: number;
    r_squared: number;
    adj_r_squared: number;
    sigma: number;
    f: number;
    f_p: number;
    df_model: number;
    df_residual: number;
    terms: { term: string; estimate: number; std_error: number; t: number; p: number; ci_low: number; ci_high: number; std_beta: number | object }[];
    vif: Record<string, number>;
  };
  revenue_by_category: {
    category: string;
    customers: number;
    revenue: number;
    revenue_per_customer: number;
    cost: number;
    margin: number;
    margin_per_customer: number;
    revenue_share: number;
    customer_share: number;
    churned: number;
    churn_rate: number;
  }[];
  churn_overall: number;
}

const expected = readJsonFixture<RExpected>("reference", "nordic-expected.json");
const TOLERANCE = 1e-9;

function close(actual: number | null | undefined, wanted: number, what: string): void {
  expect(actual, what).toBeTypeOf("number");
  expect(relativeError(actual!, wanted), `${what}: ${actual} vs R ${wanted}`).toBeLessThan(TOLERANCE);
}

function checkNps(actual: Report["nps"]["overall"], want: RNps, what: string): void {
  expect(actual.n, `${what} n`).toBe(want.n);
  expect([actual.promoters, actual.passives, actual.detractors], `${what} counts`).toEqual([want.promoters, want.passives, want.detractors]);
  close(actual.effectiveN, want.effective_n, `${what} effectiveN`);
  close(actual.promoterShare, want.promoter_share, `${what} promoterShare`);
  close(actual.detractorShare, want.detractor_share, `${what} detractorShare`);
  close(actual.nps, want.nps, `${what} nps`);
  close(actual.stdError, want.se, `${what} stdError`);
  close(actual.ciLow, want.ci_low, `${what} ciLow`);
  close(actual.ciHigh, want.ci_high, `${what} ciHigh`);
}

describe("loyalty analyze on the Nordic reference data equals R", () => {
  let report: Report;
  beforeAll(async () => {
    report = await runJson<Report>([
      "analyze",
      "--survey",
      fixturePath("reference", "nordic-survey.csv"),
      "--finance",
      fixturePath("reference", "nordic-finance.csv"),
      "--by",
      "region",
    ]);
  });

  it("produces a report that validates against the published schema", () => {
    expect(() => ReportSchema.parse(report)).not.toThrow();
  });

  it("accounts for every row", () => {
    expect(report.inputs.survey.rowsRead).toBe(expected.rows.survey);
    expect(report.inputs.survey.rowsAccepted + report.inputs.survey.rowsRejected).toBe(expected.rows.survey);
    expect(report.inputs.finance!.rowsRead).toBe(expected.rows.finance);
    expect(report.inputs.finance!.rowsAccepted + report.inputs.finance!.rowsRejected).toBe(expected.rows.finance);
  });

  it("NPS overall", () => checkNps(report.nps.overall, expected.nps.overall, "overall"));

  it("NPS for every region", () => {
    expect(report.nps.byGroup.map((g) => g.group).sort()).toEqual(expected.nps.by_region.map((g) => g.group!).sort());
    for (const want of expected.nps.by_region) {
      const got = report.nps.byGroup.find((g) => g.group === want.group)!;
      checkNps(got, want, want.group!);
      expect(got.smallSample).toBe(want.n < 30);
    }
  });

  it("the join counts", () => {
    expect(report.join).toMatchObject({
      respondents: expected.rows.respondents,
      financeCustomers: expected.rows.customers_in_finance,
      matched: expected.rows.matched,
      unmatchedRespondents: expected.rows.unmatched_respondents,
    });
    close(report.join!.matchRate, expected.rows.matched / expected.rows.respondents, "matchRate");
  });

  it("revenue and churn by category", () => {
    for (const want of expected.revenue_by_category) {
      const got = report.revenue!.byCategory.find((r) => r.category === want.category)!;
      const churn = report.churn!.byCategory.find((r) => r.category === want.category)!;
      const what = want.category;
      expect(got.customers, `${what} customers`).toBe(want.customers);
      close(got.revenue, want.revenue, `${what} revenue`);
      close(got.revenuePerCustomer, want.revenue_per_customer, `${what} revenuePerCustomer`);
      close(got.cost, want.cost, `${what} cost`);
      close(got.margin, want.margin, `${what} margin`);
      close(got.marginPerCustomer, want.margin_per_customer, `${what} marginPerCustomer`);
      close(got.revenueShare, want.revenue_share, `${what} revenueShare`);
      close(got.customerShare, want.customer_share, `${what} customerShare`);
      expect(churn.churned, `${what} churned`).toBe(want.churned);
      close(churn.churnRate, want.churn_rate, `${what} churnRate`);
    }
    close(report.churn!.overall.churnRate, expected.churn_overall, "overall churn");
  });

  it("the driver model: every term and the model statistics", () => {
    const d = report.drivers!;
    const want = expected.drivers;
    expect(d.n).toBe(want.n);
    expect(d.droppedIncomplete).toBe(want.dropped_incomplete);
    expect([d.dfModel, d.dfResidual]).toEqual([want.df_model, want.df_residual]);
    close(d.rSquared, want.r_squared, "rSquared");
    close(d.adjRSquared, want.adj_r_squared, "adjRSquared");
    close(d.sigma, want.sigma, "sigma");
    close(d.f, want.f, "f");
    // fP is 1.6e-69: R's pf() and ours agree to ~1e-12 relative, but allow 1e-6 as the reference README says for tiny p
    expect(relativeError(d.fP!, want.f_p)).toBeLessThan(1e-6);
    expect(d.terms.map((t) => t.term)).toEqual(want.terms.map((t) => (t.term === "(Intercept)" ? "intercept" : t.term)));
    want.terms.forEach((w, i) => {
      const got = d.terms[i]!;
      const what = got.term;
      close(got.estimate, w.estimate, `${what} estimate`);
      close(got.stdError, w.std_error, `${what} stdError`);
      close(got.t, w.t, `${what} t`);
      close(got.p, w.p, `${what} p`);
      close(got.ciLow, w.ci_low, `${what} ciLow`);
      close(got.ciHigh, w.ci_high, `${what} ciHigh`);
      if (i === 0) {
        expect(got.vif).toBeNull();
      } else {
        close(got.stdBeta, w.std_beta as number, `${what} stdBeta`);
        close(got.vif, want.vif[what]!, `${what} vif`);
      }
    });
  });

  it("NPS by segment too (--by segment)", async () => {
    const bySegment = await runJson<Report>(["analyze", "--survey", fixturePath("reference", "nordic-survey.csv"), "--by", "segment"]);
    for (const want of expected.nps.by_segment) checkNps(bySegment.nps.byGroup.find((g) => g.group === want.group)!, want, want.group!);
  });
});
