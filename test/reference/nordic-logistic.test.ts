import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { fixturePath, readJsonFixture, relativeError } from "../support/fixtures.js";
import { runJson } from "../support/run-cli.js";

// R 4.2.2: glm(promoter ~ drivers, binomial) with epsilon 1e-15, confint.default, and LMG of
// McFadden's R² over all subsets; fixtures/reference/nordic-logistic.R wrote the expected file.
interface Expected {
  n: number;
  mcfadden_r_squared: number;
  log_likelihood: number;
  lr_chi_square: number;
  lr_df: number;
  lr_p: number;
  terms: { term: string; estimate: number; std_error: number; z: number; p: number; ci_low: number; ci_high: number }[];
  lmg: Record<string, number>;
  first: Record<string, number>;
  last: Record<string, number>;
}

describe("loyalty drivers --outcome promoter equals R's glm", () => {
  const expected = readJsonFixture<Expected>("reference", "nordic-logistic-expected.json");
  let drivers: NonNullable<Report["drivers"]>;
  beforeAll(async () => {
    const report = await runJson<Report>(["drivers", "--survey", fixturePath("reference", "nordic-survey.csv"), "--outcome", "promoter", "--bootstrap", "30"]);
    drivers = report.drivers!;
  });
  const close = (actual: number | null | undefined, want: number, what: string, tolerance = 1e-9) => {
    expect(actual, what).toBeTypeOf("number");
    expect(relativeError(actual!, want), `${what}: ${actual} vs R ${want}`).toBeLessThan(tolerance);
  };
  it("the model: n, McFadden R², log-likelihood and the likelihood-ratio test", () => {
    expect(drivers.model).toBe("logistic");
    expect(drivers.n).toBe(expected.n);
    close(drivers.rSquared, expected.mcfadden_r_squared, "McFadden R²");
    close(drivers.logLikelihood, expected.log_likelihood, "logLik");
    close(drivers.lrChiSquare, expected.lr_chi_square, "LR chi²");
    close(drivers.lrP, expected.lr_p, "LR p", 1e-8);
    expect(drivers.f).toBeNull();
  });
  it("every term: estimate, SE, z, p and the Wald 95% interval", () => {
    expected.terms.forEach((want, i) => {
      const got = drivers.terms[i]!;
      expect(got.term).toBe(want.term === "(Intercept)" ? "intercept" : want.term);
      close(got.estimate, want.estimate, `${got.term} estimate`);
      close(got.stdError, want.std_error, `${got.term} SE`);
      close(got.z, want.z, `${got.term} z`);
      // tiny p-values amplify the last digits of z (|z|·Δz): 1e-6, as the reference README allows
      close(got.p, want.p, `${got.term} p`, 1e-6);
      // a bound near 0 (0.238 - 1.96 x 0.100) cancels digits, so bounds are compared relative to the
      // standard error; glm's and our SEs agree to ~1e-9, which the 1.96 multiplies
      expect(Math.abs(got.ciLow! - want.ci_low) / want.std_error, `${got.term} ciLow`).toBeLessThan(1e-8);
      expect(Math.abs(got.ciHigh! - want.ci_high) / want.std_error, `${got.term} ciHigh`).toBeLessThan(1e-8);
      expect(got.t).toBeNull();
    });
  });
  it("LMG, first and last of McFadden's R²", () => {
    for (const row of drivers.importance) {
      close(row.lmg, expected.lmg[row.driver]!, `lmg ${row.driver}`);
      close(row.first, expected.first[row.driver]!, `first ${row.driver}`);
      close(row.last, expected.last[row.driver]!, `last ${row.driver}`, 1e-7);
      expect(row.relativeWeight).toBeNull();
      expect(row.lmgShareCiLow).not.toBeNull();
    }
    const total = drivers.importance.reduce((sum, row) => sum + row.lmg, 0);
    expect(total).toBeCloseTo(expected.mcfadden_r_squared, 12);
  });
});
