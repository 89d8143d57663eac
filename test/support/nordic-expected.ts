import { expect } from "vitest";
import type { Report } from "../../src/report/report.js";
import { readJsonFixture, relativeError } from "./fixtures.js";

// Expected values: R 4.2 (lm, confint, car::vif, qnorm), shared/reference/nordic-expected.json,
// copied to fixtures/reference. R's keys are snake_case; the report's are camelCase.
export interface RNps {
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
export interface RExpected {
  rows: { survey: number; finance: number; customers_in_finance: number; respondents: number; matched: number; unmatched_respondents: number };
  nps: { overall: RNps; by_region: RNps[]; by_segment: RNps[] };
  drivers: {
    drivers: string[];
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
    importance: Record<"lmg" | "lmg_share" | "relative_weights" | "relative_weights_share", Record<string, number>>;
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

export const nordicExpected = readJsonFixture<RExpected>("reference", "nordic-expected.json");
export const TOLERANCE = 1e-9;

export function close(actual: number | null | undefined, wanted: number, what: string, tolerance = TOLERANCE): void {
  expect(actual, what).toBeTypeOf("number");
  expect(relativeError(actual!, wanted), `${what}: ${actual} vs R ${wanted}`).toBeLessThan(tolerance);
}

export function checkNps(actual: Report["nps"]["overall"], want: RNps, what: string): void {
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

export function checkNpsByRegion(report: Report): void {
  expect(report.nps.byGroup.map((g) => g.group).sort()).toEqual(nordicExpected.nps.by_region.map((g) => g.group!).sort());
  for (const want of nordicExpected.nps.by_region) {
    const got = report.nps.byGroup.find((g) => g.group === want.group)!;
    checkNps(got, want, want.group!);
    expect(got.smallSample).toBe(want.n < 30);
  }
}

export function checkJoin(report: Report): void {
  const rows = nordicExpected.rows;
  expect(report.join).toMatchObject({
    respondents: rows.respondents,
    financeCustomers: rows.customers_in_finance,
    matched: rows.matched,
    unmatchedRespondents: rows.unmatched_respondents,
  });
  close(report.join!.matchRate, rows.matched / rows.respondents, "matchRate");
}

export function checkRevenueAndChurn(report: Report): void {
  for (const want of nordicExpected.revenue_by_category) {
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
  close(report.churn!.overall.churnRate, nordicExpected.churn_overall, "overall churn");
}

/** The driver model, matched by position: exports name the drivers differently (Q2_1, "Product quality"). */
export function checkDriverModel(report: Report): void {
  const d = report.drivers!;
  const want = nordicExpected.drivers;
  expect(d.n).toBe(want.n);
  expect(d.droppedIncomplete).toBe(want.dropped_incomplete);
  expect([d.dfModel, d.dfResidual]).toEqual([want.df_model, want.df_residual]);
  close(d.rSquared, want.r_squared, "rSquared");
  close(d.adjRSquared, want.adj_r_squared, "adjRSquared");
  close(d.sigma, want.sigma, "sigma");
  close(d.f, want.f, "f");
  // fP is 1.6e-69: allow 1e-6, as the reference README does for tiny p-values
  close(d.fP, want.f_p, "fP", 1e-6);
  want.terms.forEach((w, i) => {
    const got = d.terms[i]!;
    const what = `${got.term} (R: ${w.term})`;
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
      close(got.vif, want.vif[w.term]!, `${what} vif`);
    }
  });
}

/** LMG and relative weights, raw and shares, matched by position. */
export function checkImportance(report: Report): void {
  const want = nordicExpected.drivers;
  report.drivers!.importance.forEach((row, j) => {
    const name = want.drivers[j]!;
    close(row.lmg, want.importance.lmg[name]!, `lmg ${name}`);
    close(row.lmgShare, want.importance.lmg_share[name]!, `lmg share ${name}`);
    close(row.relativeWeight, want.importance.relative_weights[name]!, `rw ${name}`);
    close(row.relativeWeightShare, want.importance.relative_weights_share[name]!, `rw share ${name}`);
  });
}
