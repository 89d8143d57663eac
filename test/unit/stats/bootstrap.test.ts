import { describe, expect, it } from "vitest";
import { foldedCorrelations, foldedResample, foldRows, resampleCounts, weightedCorrelationMatrix } from "../../../src/stats/bootstrap.js";
import { createRandom } from "../../../src/stats/random.js";

describe("the bootstrap's correlations from folded rows", () => {
  const random = createRandom(11);
  const n = 3000;
  const m = 4;
  // ratings 1-5 that repeat, and a normal noise column per row
  const rows = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const f = random.normal();
    for (let j = 0; j < m; j++) rows[i * m + j] = Math.min(5, Math.max(1, Math.round(3 + f + random.normal())));
  }
  const noise = Float64Array.from({ length: n }, () => random.normal());
  const withNoise = (at: number) => {
    const out = new Float64Array(n * (m + 1));
    for (let i = 0; i < n; i++) for (let j = 0, c = 0; j <= m; j++) out[i * (m + 1) + j] = j === at ? noise[i]! : rows[i * m + c++]!;
    return out;
  };

  it("a resample summed per distinct row draws as resampleCounts does and gives the same matrices", () => {
    const folded = foldRows(rows, m);
    const a = createRandom(5);
    const b = createRandom(5);
    for (let r = 0; r < 5; r++) {
      const drawn = foldedResample(folded, noise, a);
      const counts = resampleCounts(n, b);
      expect(drawn.total).toBe(n);
      const weights = new Float64Array(folded.k);
      counts.forEach((c, i) => (weights[folded.patternOf[i]!]! += c));
      expect(drawn.weights).toEqual(weights);
      const got = foldedCorrelations(folded, drawn, noise, 1);
      const want = weightedCorrelationMatrix(withNoise(1), m + 1, counts);
      for (let x = 0; x <= m; x++) for (let y = 0; y <= m; y++) expect(Math.abs(got.withExtra[x]![y]! - want[x]![y]!)).toBeLessThan(1e-12);
    }
    // both generators are at the same place afterwards
    expect(a.next()).toBe(b.next());
  });

  it("folds the repeated rows: far fewer patterns, each row's pattern its values", () => {
    const folded = foldRows(rows, m);
    expect(folded.k).toBeLessThan(n / 4);
    for (let i = 0; i < n; i += 97) for (let j = 0; j < m; j++) expect(folded.patterns[folded.patternOf[i]! * m + j]).toBe(rows[i * m + j]);
  });
  it("equal the row-by-row two-pass correlations of every resample, with the extra column anywhere", () => {
    const folded = foldRows(rows, m);
    for (let b = 0; b < 5; b++) {
      const counts = resampleCounts(n, random);
      for (const at of [0, 2, m]) {
        const got = foldedCorrelations(folded, counts, noise, at);
        const want = weightedCorrelationMatrix(withNoise(at), m + 1, counts);
        const wantBase = weightedCorrelationMatrix(rows, m, counts);
        for (let a = 0; a <= m; a++) for (let c = 0; c <= m; c++) expect(Math.abs(got.withExtra[a]![c]! - want[a]![c]!)).toBeLessThan(1e-12);
        for (let a = 0; a < m; a++) for (let c = 0; c < m; c++) expect(Math.abs(got.base[a]![c]! - wantBase[a]![c]!)).toBeLessThan(1e-12);
      }
    }
  });
  it("a column constant in the resample has no correlation (NaN), as row by row", () => {
    const constant = new Float64Array(n * m).map((_, i) => (i % m === 1 ? 4 : rows[i]!));
    const got = foldedCorrelations(foldRows(constant, m), resampleCounts(n, random), noise, m);
    expect(got.base[0]![1]).toBeNaN();
    expect(got.withExtra[m]![1]).toBeNaN();
  });
});

describe("Random.fill", () => {
  it("gives the values next() gives, in order, and leaves the generator where next() would", () => {
    const a = createRandom(99);
    const b = createRandom(99);
    const block = new Float64Array(1000);
    a.fill(block);
    for (let i = 0; i < 1000; i++) expect(block[i]).toBe(b.next());
    expect(a.next()).toBe(b.next());
    expect(a.normal()).toBe(b.normal());
  });
});
