import { describe, expect, it } from "vitest";
import { ols } from "../../src/stats/ols.js";
import { readJsonFixture, readSimpleCsv, relativeError } from "../support/fixtures.js";

interface RTerm {
  term: string;
  estimate: number;
  std_error: number;
  t: number;
  p: number;
  ci_low: number;
  ci_high: number;
  std_beta: number | Record<string, never>;
}
interface RModel {
  drivers: string[];
  outcome: string;
  n: number;
  r_squared: number;
  adj_r_squared: number;
  sigma: number;
  f: number;
  df_model: number;
  df_residual: number;
  f_p: number;
  terms: RTerm[];
  vif: Record<string, number>;
}

// R: summary(lm(Fertility ~ ., swiss)); confint(); car::vif() -- fixtures/reference/swiss-expected.json
const expected = readJsonFixture<RModel>("reference", "swiss-expected.json");
const { header, rows } = readSimpleCsv("reference", "swiss.csv");
const column = (name: string) => rows.map((row) => Number(row[header.indexOf(name)]));

describe("OLS on R's swiss data (shared/reference/swiss-expected.json)", () => {
  const fit = ols(column(expected.outcome), expected.drivers.map(column));
  const close = (actual: number | null, wanted: number) => {
    expect(actual).not.toBeNull();
    expect(relativeError(actual!, wanted)).toBeLessThan(1e-9);
  };

  it("reproduces the model statistics", () => {
    expect(fit.n).toBe(expected.n);
    expect(fit.dfModel).toBe(expected.df_model);
    expect(fit.dfResidual).toBe(expected.df_residual);
    close(fit.rSquared, expected.r_squared);
    close(fit.adjRSquared, expected.adj_r_squared);
    close(fit.sigma, expected.sigma);
    close(fit.f, expected.f);
    close(fit.fP, expected.f_p);
  });

  it("reproduces every term: estimate, SE, t, p, 95% CI, standardised beta", () => {
    expect(fit.terms).toHaveLength(expected.terms.length);
    expected.terms.forEach((want, index) => {
      const got = fit.terms[index]!;
      close(got.estimate, want.estimate);
      close(got.stdError, want.std_error);
      close(got.t, want.t);
      close(got.p, want.p);
      close(got.ciLow, want.ci_low);
      close(got.ciHigh, want.ci_high);
      if (index === 0) expect(got.stdBeta).toBeNull();
      else close(got.stdBeta, want.std_beta as number);
    });
  });

  it("reproduces car::vif", () => {
    expected.drivers.forEach((driver, index) => close(fit.vif[index]!, expected.vif[driver]!));
  });
});
