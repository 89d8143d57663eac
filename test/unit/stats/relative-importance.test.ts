import { describe, expect, it } from "vitest";
import { correlationMatrix, pairwiseCorrelationMatrix } from "../../../src/stats/correlation.js";
import { ols } from "../../../src/stats/ols.js";
import { createRandom } from "../../../src/stats/random.js";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { allSubsetRSquared, johnsonRelativeWeights, monteCarloShapley, relativeImportance, symmetricEigen } from "../../../src/stats/relative-importance.js";

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

describe("symmetricEigen and Johnson's relative weights from it", () => {
  it("decomposes symmetric matrices: A·v = λ·v and VᵀV = I to rounding, the eigenvalues ml-matrix finds", () => {
    const random = createRandom(21);
    for (const p of [1, 2, 5, 9, 15]) {
      const { x, y } = correlatedData(p, 300, 30 + p);
      const r = correlationMatrix([...x, y]).slice(0, p).map((row) => row.slice(0, p));
      // and a matrix with a repeated eigenvalue and a zero one: a scaled projection
      const u = Array.from({ length: p }, () => random.normal());
      const norm = Math.hypot(...u);
      for (const matrix of [r, u.map((a) => u.map((b) => (a * b) / (norm * norm)))]) {
        const flat = Float64Array.from(matrix.flat());
        const { values, vectors } = symmetricEigen(Float64Array.from(flat), p);
        for (let i = 0; i < p; i++) {
          for (let row = 0; row < p; row++) {
            let av = 0;
            for (let k = 0; k < p; k++) av += flat[row * p + k]! * vectors[k * p + i]!;
            expect(Math.abs(av - values[i]! * vectors[row * p + i]!)).toBeLessThan(1e-13);
          }
          for (let j = 0; j < p; j++) {
            let dot = 0;
            for (let k = 0; k < p; k++) dot += vectors[k * p + i]! * vectors[k * p + j]!;
            expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-13);
          }
        }
        const want = [...new EigenvalueDecomposition(new Matrix(matrix), { assumeSymmetric: true }).realEigenvalues].sort((a, b) => a - b);
        const got = Array.from(values).sort((a, b) => a - b);
        got.forEach((value, i) => expect(Math.abs(value - want[i]!)).toBeLessThan(1e-13));
      }
    }
  });
  it("gives the relative weights of the eigen decomposition by ml-matrix (the formula written out) to 1e-12", () => {
    for (const [p, seed] of [[2, 1], [5, 2], [8, 3], [12, 4]] as const) {
      const { x, y } = correlatedData(p, 500, 40 + seed);
      const correlation = correlationMatrix([...x, y]);
      const rxx = new Matrix(correlation.slice(0, p).map((row) => row.slice(0, p)));
      const eigen = new EigenvalueDecomposition(rxx, { assumeSymmetric: true });
      const v = eigen.eigenvectorMatrix;
      const rootOf = (power: number) => v.mmul(Matrix.diag(eigen.realEigenvalues.map((l) => Math.max(l, 0) ** power))).mmul(v.transpose());
      const lambda = rootOf(0.5);
      const betaZ = rootOf(-0.5).mmul(Matrix.columnVector(correlation.slice(0, p).map((row) => row[p]!))).getColumn(0);
      const want = Array.from({ length: p }, (_, j) => betaZ.reduce((sum, b, k) => sum + lambda.get(j, k) ** 2 * b ** 2, 0));
      johnsonRelativeWeights(correlation).forEach((w, j) => expect(Math.abs(w - want[j]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(want[j]!))));
    }
  });
});
