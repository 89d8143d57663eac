import { describe, expect, it } from "vitest";
import { pairwiseCorrelationMatrix, weightedPairwiseCorrelationMatrix } from "../../../src/stats/correlation.js";
import { createRandom } from "../../../src/stats/random.js";

describe("weightedPairwiseCorrelationMatrix", () => {
  // four columns with values missing here and there, and counts 0, 1, 2, 3 (a resample's)
  const random = createRandom(19);
  const n = 400;
  const columns = Array.from({ length: 4 }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => (random.next() < 0.1 * j ? Number.NaN : Math.round(3 + 2 * random.normal() + (j > 0 ? 0.5 * i / n : 0)))),
  );
  const counts = Int32Array.from({ length: n }, () => Math.floor(random.next() * 4));
  // the rows written out as many times as counted, missing as null
  const repeated = columns.map((column) => {
    const out: (number | null)[] = [];
    for (let i = 0; i < n; i++) for (let c = 0; c < counts[i]!; c++) out.push(Number.isNaN(column[i]!) ? null : column[i]!);
    return out;
  });

  it("is the pairwise-complete matrix of the rows repeated as counted, to rounding", () => {
    const got = weightedPairwiseCorrelationMatrix(columns, counts);
    const want = pairwiseCorrelationMatrix(repeated).matrix;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(Math.abs(got[a]![b]! - want[a]![b]!), `${a},${b}`).toBeLessThan(1e-12);
    // the rows not drawn and the missing values count for nothing: not the unweighted matrix
    const plain = pairwiseCorrelationMatrix(columns.map((c) => Array.from(c, (v) => (Number.isNaN(v) ? null : v)))).matrix;
    expect(Math.abs(got[0]![3]! - plain[0]![3]!)).toBeGreaterThan(1e-4);
  });
  it("gives NaN for a pair whose rows hold one value of a column, and 1 on the diagonal", () => {
    const constant = Float64Array.from({ length: n }, () => 4);
    const got = weightedPairwiseCorrelationMatrix([columns[0]!, constant], counts);
    expect(got[0]![0]).toBe(1);
    expect(got[1]![1]).toBe(1);
    expect(got[0]![1]).toBeNaN();
    expect(got[1]![0]).toBeNaN();
  });
});
