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

describe("OLS with frequency weights: the swiss rows repeated, fitted as their distinct rows", () => {
  // each of the 47 provinces repeated 1 to 4 times: the weighted fit of the 47 distinct rows must
  // be the fit of the 47·… rows written out (n, degrees of freedom, every term, R², F and VIF)
  const counts = rows.map((_, i) => 1 + ((i * 7) % 4));
  const repeat = (values: number[]) => values.flatMap((v, i) => new Array<number>(counts[i]!).fill(v));
  const y = column(expected.outcome);
  const xs = expected.drivers.map(column);
  const weighted = ols(y, xs, { weights: counts });
  const expanded = ols(repeat(y), xs.map(repeat));
  const close = (a: number | null, b: number | null) => {
    expect(a).not.toBeNull();
    expect(relativeError(a!, b!)).toBeLessThan(1e-12);
  };
  it("has the expanded rows' n and degrees of freedom", () => {
    expect(weighted.n).toBe(counts.reduce((a, b) => a + b, 0));
    expect(weighted.dfResidual).toBe(expanded.dfResidual);
  });
  it("has every term, interval and standardised coefficient of the expanded fit", () => {
    weighted.terms.forEach((term, j) => {
      const want = expanded.terms[j]!;
      for (const key of ["estimate", "stdError", "t", "ciLow", "ciHigh"] as const) close(term[key], want[key]);
      if (j > 0) close(term.stdBeta, want.stdBeta);
      expect(relativeError(term.p!, want.p!)).toBeLessThan(1e-9);
    });
  });
  it("has the expanded fit's R², σ, F and VIF", () => {
    for (const key of ["rSquared", "adjRSquared", "sigma", "f"] as const) close(weighted[key], expanded[key]);
    weighted.vif.forEach((v, j) => close(v, expanded.vif[j]!));
  });
  it("with every weight 1 is the unweighted fit to the last bit", () => {
    expect(ols(y, xs, { weights: rows.map(() => 1) })).toEqual(ols(y, xs));
  });
  it("refuses a weight that is not positive", () => {
    expect(() => ols(y, xs, { weights: counts.map((c, i) => (i === 3 ? 0 : c)) })).toThrow(/positive/);
  });
});
