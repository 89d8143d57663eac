// Our in-place QR against ml-matrix's QrDecomposition, whose algorithm it writes out: the same
// numbers to the last bit, on random, tall and nearly collinear matrices.
import { Matrix, QrDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { householderQr, qrSolve, upperTriangular } from "../../../src/stats/qr.js";
import { createRandom } from "../../../src/stats/random.js";

describe("householderQr", () => {
  it("gives ml-matrix's solution and R bit for bit", () => {
    const random = createRandom(17);
    for (const [n, k, collinear] of [[50, 3, 0], [2000, 7, 0], [300, 5, 1e-7], [12, 12, 0]] as const) {
      const rows = Array.from({ length: n }, () => Array.from({ length: k }, () => Math.round(random.normal() * 100) / 10));
      if (collinear) for (const row of rows) row[k - 1] = row[0]! + collinear * random.normal();
      const y = rows.map((row) => row.reduce((s, v, j) => s + v * (j + 1), 0) + random.normal());
      const ours = householderQr(Float64Array.from({ length: n * k }, (_, i) => rows[i % n]![Math.floor(i / n)]!), n, k);
      const theirs = new QrDecomposition(new Matrix(rows));
      expect(qrSolve(ours, y)).toEqual(theirs.solve(Matrix.columnVector(y)).getColumn(0));
      expect(upperTriangular(ours)).toEqual(theirs.upperTriangularMatrix.to2DArray());
    }
  });

  it("refuses a rank-deficient matrix as ml-matrix does", () => {
    const a = Float64Array.from([1, 2, 3, 0, 0, 0]);
    expect(() => qrSolve(householderQr(a, 3, 2), [1, 2, 3])).toThrow("Matrix is rank deficient");
    expect(() => new QrDecomposition(new Matrix([[1, 0], [2, 0], [3, 0]])).solve(Matrix.columnVector([1, 2, 3]))).toThrow("Matrix is rank deficient");
  });
});
