import { describe, expect, it } from "vitest";
import {
  fUpperTailP,
  normalQuantile,
  normalTwoSidedP,
  studentTQuantile,
  studentTTwoSidedP,
} from "../../../src/stats/distributions.js";
import { relativeError } from "../../support/fixtures.js";

// Values are R 4.2's (pt, qt, pf, qnorm, pnorm); the p-values of the model terms come from
// shared/reference (summary(lm(...)) in R), paired with the t statistic and df printed beside them.
describe("Student t", () => {
  it("two-sided p matches R's 2*pt(-|t|, df) for moderate and tiny p", () => {
    // R: 2*pt(-2.448141770184, 41) (swiss, Agriculture)
    expect(relativeError(studentTTwoSidedP(-2.448141770184, 41), 0.0187271543851755)).toBeLessThan(1e-9);
    // R: 2*pt(-6.2502285411978, 41) (swiss, intercept)
    expect(relativeError(studentTTwoSidedP(6.2502285411978, 41), 1.90605128792698e-7)).toBeLessThan(1e-9);
    // R: 2*pt(-8.24654007604155, 428) (nordic, service): p ~ 2e-15 must not collapse to 0
    expect(relativeError(studentTTwoSidedP(8.24654007604155, 428), 2.02379892468023e-15)).toBeLessThan(1e-8);
    expect(studentTTwoSidedP(0, 12)).toBe(1);
  });
  it("quantile matches R's qt", () => {
    // R: qt(0.975, 10) = 2.228138851986274
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 12);
    // R: qt(0.975, 41), recovered from confint(lm) in swiss-expected: (ci_high - estimate) / std_error
    expect(studentTQuantile(0.975, 41)).toBeCloseTo((88.5364632136287 - 66.9151816789687) / 10.7060375853304, 11);
  });
  it("rejects invalid degrees of freedom instead of returning NaN", () => {
    expect(() => studentTTwoSidedP(1, 0)).toThrow(/degrees of freedom/);
    expect(() => studentTQuantile(0.975, -1)).toThrow(/degrees of freedom/);
  });
});

describe("F", () => {
  it("upper tail matches R's pf(f, d1, d2, lower.tail = FALSE), including tiny p", () => {
    // swiss: F = 19.7610592622178 on 5 and 41 df
    expect(relativeError(fUpperTailP(19.7610592622178, 5, 41), 5.59379854113513e-10)).toBeLessThan(1e-9);
    // nordic: F = 99.6785770005201 on 5 and 428 df; 1 - pf() would give 0 here
    expect(relativeError(fUpperTailP(99.6785770005201, 5, 428), 1.6193232912437e-69)).toBeLessThan(1e-8);
    expect(fUpperTailP(0, 3, 20)).toBe(1);
  });
});

describe("normal", () => {
  it("quantile and two-sided p match R's qnorm and 2*pnorm(-|z|)", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    // METHODS b2 two-sample Wald vector: z = 1.56068060515, p = 0.11859912963
    expect(normalTwoSidedP(1.56068060515)).toBeCloseTo(0.11859912963, 10);
    // nordic-expected nps.differences: z = -1.84315724341951, p = 0.0653060555179842
    expect(relativeError(normalTwoSidedP(-1.84315724341951), 0.0653060555179842)).toBeLessThan(1e-9);
  });
});
