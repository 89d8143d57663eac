import { describe, expect, it } from "vitest";
import { correlationMatrix, pairwiseCorrelationMatrix } from "../../../src/stats/correlation.js";
import { ols } from "../../../src/stats/ols.js";
import { createRandom } from "../../../src/stats/random.js";
import { allSubsetRSquared, monteCarloShapley, relativeImportance } from "../../../src/stats/relative-importance.js";

function correlatedData(p: number, n: number, seed: number): { x: number[][]; y: number[] } {
  const random = createRandom(seed);
  const x = Array.from({ length: p }, () => new Array<number>(n));
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const common = random.normal();
    let outcome = random.normal();
    for (let j = 0; j < p; j++) {
      x[j]![i] = 0.6 * common + random.normal();
      outcome += ((j % 4) - 1) * 0.3 * x[j]![i]!;
    }
    y[i] = outcome;
  }
  return { x, y };
}

describe("allSubsetRSquared", () => {
  it("equals the R² of an independent QR fit for every subset checked, even after 32,767 sweeps (p = 15)", () => {
    const { x, y } = correlatedData(15, 400, 3);
    const subsets = allSubsetRSquared(correlationMatrix([...x, y]));
    const random = createRandom(99);
    const masks = [1, 2 ** 15 - 1, 2 ** 14, 0b101010101010101, ...Array.from({ length: 40 }, () => random.integer(1, 2 ** 15 - 1))];
    for (const mask of masks) {
      const columns = x.filter((_, j) => mask & (1 << j));
      expect(subsets[mask], `mask ${mask}`).toBeCloseTo(ols(y, columns).rSquared, 11);
    }
    expect(subsets[0]).toBe(0);
  });
});

describe("relativeImportance", () => {
  it("is invariant to the order of the predictors and to rescaling them", () => {
    const { x, y } = correlatedData(5, 300, 4);
    const base = relativeImportance(correlationMatrix([...x, y]));
    const order = [3, 0, 4, 2, 1];
    const reordered = relativeImportance(correlationMatrix([...order.map((j) => x[j]!.map((v) => v * (j + 1) * 10 - 7)), y]));
    order.forEach((j, position) => {
      expect(reordered.lmg[position]).toBeCloseTo(base.lmg[j]!, 12);
      expect(reordered.relativeWeights[position]).toBeCloseTo(base.relativeWeights[j]!, 12);
    });
  });
});

describe("monteCarloShapley", () => {
  it("estimates LMG within a few standard errors, and is exact in expectation", () => {
    const { x, y } = correlatedData(6, 300, 5);
    const correlation = correlationMatrix([...x, y]);
    const exact = relativeImportance(correlation).lmg;
    const estimate = monteCarloShapley(correlation, 4000, createRandom(1));
    estimate.values.forEach((value, j) => {
      expect(Math.abs(value - exact[j]!)).toBeLessThan(4 * estimate.stdErrors[j]! + 1e-12);
    });
    // every ordering's increments sum to R², so the estimates do too
    expect(estimate.values.reduce((a, b) => a + b, 0)).toBeCloseTo(relativeImportance(correlation).rSquared, 12);
  });
});

describe("pairwiseCorrelationMatrix", () => {
  it("uses the complete pairs of each entry", () => {
    const { matrix, pairs } = pairwiseCorrelationMatrix([
      [1, 2, 3, null, 5],
      [2, 4, 5, 8, null],
      [5, 3, null, 1, 0],
    ]);
    expect(pairs[0]![1]).toBe(3);
    expect(matrix[0]![1]).toBeCloseTo(correlationMatrix([[1, 2, 3], [2, 4, 5]])[0]![1]!, 14);
    expect(pairs[1]![2]).toBe(3);
  });
});
