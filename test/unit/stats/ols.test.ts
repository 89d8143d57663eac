import { describe, expect, it } from "vitest";
import { aliasedColumns, ols } from "../../../src/stats/ols.js";

describe("ols", () => {
  it("returns the coefficients of exactly linear data", () => {
    const x1 = [1, 2, 3, 4, 5, 6, 7, 8];
    const x2 = [3, 1, 4, 1, 5, 9, 2, 6];
    const y = x1.map((value, i) => 2 + 0.5 * value - 1.25 * x2[i]!);
    const fit = ols(y, [x1, x2]);
    expect(fit.terms[0]!.estimate).toBeCloseTo(2, 12);
    expect(fit.terms[1]!.estimate).toBeCloseTo(0.5, 12);
    expect(fit.terms[2]!.estimate).toBeCloseTo(-1.25, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    // a perfect fit has no residual variance: inference is undefined, reported as null, never NaN/Infinity
    expect(fit.perfectFit).toBe(true);
    expect(fit.terms[1]!.p).toBeNull();
    expect(fit.f).toBeNull();
    expect(JSON.stringify(fit)).not.toMatch(/NaN|Infinity/);
  });

  it("matches a hand-computed simple regression", () => {
    // y = 1 + 2x + e with e = (+1, -1, -1, +1): slope 2, intercept 1, RSS 4, sigma² = 2, SE(slope) = sqrt(2/5)
    const x = [1, 2, 3, 4];
    const y = [4, 4, 6, 10];
    const fit = ols(y, [x]);
    expect(fit.terms[1]!.estimate).toBeCloseTo(2, 12);
    expect(fit.terms[0]!.estimate).toBeCloseTo(1, 12);
    expect(fit.sigma).toBeCloseTo(Math.sqrt(2), 12);
    expect(fit.terms[1]!.stdError).toBeCloseTo(Math.sqrt(2 / 5), 12);
    expect(fit.vif).toEqual([1]);
  });

  it("throws when there are not more observations than parameters", () => {
    expect(() => ols([1, 2], [[1, 2]])).toThrow(/needs more observations \(2\) than parameters \(2\)/);
  });

  it("throws on a constant outcome", () => {
    expect(() => ols([3, 3, 3, 3], [[1, 2, 3, 5]])).toThrow(/outcome is constant/);
  });

  it("throws on an aliased design rather than returning absurd numbers", () => {
    expect(() => ols([1, 2, 4, 3, 5], [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10]])).toThrow(/linearly dependent/);
  });
});

describe("aliasedColumns", () => {
  it("flags constant columns and columns that are linear combinations of earlier ones", () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [2, 1, 2, 5, 3, 3];
    const constant = [7, 7, 7, 7, 7, 7];
    const sum = a.map((value, i) => value + b[i]!);
    expect(aliasedColumns([a, b, constant, sum])).toEqual([
      { index: 2, constant: true },
      { index: 3, constant: false },
    ]);
    expect(aliasedColumns([a, b])).toEqual([]);
  });
});

describe("large designs", () => {
  it("checks a column of 1,000,000 values for aliasing without overflowing the stack", () => {
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, (_, i) => (i % 10) + 1);
    const z = Float64Array.from({ length: n }, (_, i) => 2 * ((i % 10) + 1));
    expect(aliasedColumns([x, z])).toEqual([{ index: 1, constant: false }]);
  });
});
