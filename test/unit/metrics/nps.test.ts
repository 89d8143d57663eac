import { describe, expect, it } from "vitest";
import { DataError } from "../../../src/errors.js";
import {
  addToNpsTally,
  categoryOf,
  emptyNpsTally,
  mergeNpsTallies,
  npsDifference,
  npsFromScores,
  npsSummary,
} from "../../../src/metrics/nps.js";

const scoresOf = (detractors: number, passives: number, promoters: number): number[] => [...Array(detractors).fill(3), ...Array(passives).fill(7), ...Array(promoters).fill(10)];
const fromCounts = (detractors: number, passives: number, promoters: number) => npsFromScores(scoresOf(detractors, passives, promoters));
/** The plain Wald interval at any n (the small-sample threshold set to 0). */
const waldFromCounts = (detractors: number, passives: number, promoters: number) => {
  const tally = emptyNpsTally();
  for (const score of scoresOf(detractors, passives, promoters)) addToNpsTally(tally, score);
  return npsSummary(tally, 0);
};

describe("categoryOf", () => {
  it("uses Bain's cut-offs: 0-6 detractor (0 included), 7-8 passive, 9-10 promoter", () => {
    expect([0, 6, 7, 8, 9, 10].map(categoryOf)).toEqual([
      "detractor",
      "detractor",
      "passive",
      "passive",
      "promoter",
      "promoter",
    ]);
    expect(() => categoryOf(11)).toThrow(/whole number 0-10/);
    expect(() => categoryOf(7.5)).toThrow(/whole number 0-10/);
  });
});

// shared/METHODS.md b2, "NPS test vectors" (computed with z = qnorm(0.975)); NPS in points here.
describe("npsSummary (Wald interval)", () => {
  it("vector 1: 20/30/50 of 100", () => {
    const s = fromCounts(20, 30, 50);
    expect(s.nps).toBeCloseTo(30, 10);
    expect(s.stdError).toBeCloseTo(7.81024968, 7);
    expect(s.ciLow).toBeCloseTo(14.6922, 3);
    expect(s.ciHigh).toBeCloseTo(45.3078, 3);
    expect(s.ciMethod).toBe("wald");
  });
  it("vector 3: 50/70/80 of 200", () => {
    const s = fromCounts(50, 70, 80);
    expect(s.nps).toBeCloseTo(15, 10);
    expect(s.ciLow).toBeCloseTo(4.0216, 3);
    expect(s.ciHigh).toBeCloseTo(25.9784, 3);
  });
  it("raw-score vector from METHODS b2", () => {
    const s = npsFromScores([0, 3, 6, 6, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10, 10]);
    expect([s.detractors, s.passives, s.promoters]).toEqual([4, 5, 7]);
    expect(s.nps).toBeCloseTo(18.75, 10);
    expect(s.stdError).toBeCloseTo(20.19194997, 7);
  });
  it("vector 4: all detractors gives a degenerate Wald interval at -100, not NaN", () => {
    const s = waldFromCounts(10, 0, 0);
    expect(s.nps).toBe(-100);
    expect(s.stdError).toBe(0);
    expect([s.ciLow, s.ciHigh]).toEqual([-100, -100]);
    expect(s.ciMethod).toBe("wald");
  });
  it("clips the interval to [-100, 100] (vector 2's Wald upper bound is 101.1)", () => {
    const s = waldFromCounts(1, 2, 7);
    expect(s.ciLow).toBeCloseTo(18.8874, 3);
    expect(s.ciHigh).toBe(100);
  });
  it("weights: shares are weighted and n becomes Kish's effective n", () => {
    // METHODS b2: w = 1,1,1,2,2,3 -> n_eff = 5
    const tally = emptyNpsTally();
    const scores = [10, 9, 3, 10, 7, 0];
    const weights = [1, 1, 1, 2, 2, 3];
    scores.forEach((score, i) => addToNpsTally(tally, score, weights[i]));
    const s = npsSummary(tally);
    expect(s.n).toBe(6);
    expect(s.effectiveN).toBeCloseTo(5, 12);
    // promoters weigh 1+1+2 = 4, detractors 1+3 = 4, of 10
    expect(s.promoterShare).toBeCloseTo(0.4, 12);
    expect(s.detractorShare).toBeCloseTo(0.4, 12);
    expect(s.nps).toBeCloseTo(0, 12);
    expect(s.stdError).toBeCloseTo(100 * Math.sqrt(0.8 / 5), 12);
  });
  it("a zero weight does not count toward n", () => {
    const tally = emptyNpsTally();
    addToNpsTally(tally, 10, 1);
    addToNpsTally(tally, 0, 0);
    expect(npsSummary(tally).n).toBe(1);
    expect(npsSummary(tally).nps).toBe(100);
  });
  it("throws a DataError with no responses", () => {
    expect(() => npsSummary(emptyNpsTally())).toThrow(DataError);
    expect(() => npsSummary(emptyNpsTally())).toThrow(/at least one response/);
  });
  it("merging tallies equals tallying everything at once", () => {
    const a = emptyNpsTally();
    const b = emptyNpsTally();
    const all = emptyNpsTally();
    [1, 9, 10, 7].forEach((s) => (addToNpsTally(a, s), addToNpsTally(all, s)));
    [8, 0, 10].forEach((s) => (addToNpsTally(b, s), addToNpsTally(all, s)));
    expect(npsSummary(mergeNpsTallies(a, b))).toEqual(npsSummary(all));
  });
});

describe("npsDifference (two independent groups, Wald)", () => {
  it("matches METHODS b2: vector 1 vs vector 3", () => {
    const d = npsDifference(fromCounts(20, 30, 50), fromCounts(50, 70, 80));
    expect(d.difference).toBeCloseTo(15, 10);
    expect(d.stdError).toBeCloseTo(9.611191393, 7);
    expect(d.z).toBeCloseTo(1.56068060515, 9);
    expect(d.p).toBeCloseTo(0.11859912963, 9);
    expect(d.ciLow).toBeCloseTo(-3.83758898, 6);
    expect(d.ciHigh).toBeCloseTo(33.83758898, 6);
  });
});

// shared/METHODS.md b2, "NPS test vectors", column "Adj-Wald centre and 95 % CI" (on -1..1; points here):
// below 30 responses the interval is the adjusted Wald one, which does not collapse when all agree
describe("npsSummary below 30 responses (adjusted-Wald interval)", () => {
  it("vector 2: 1/2/7 of 10 gives [7.0394, 85.2683]; NPS and SE stay the plain values", () => {
    const s = fromCounts(1, 2, 7);
    expect(s.ciMethod).toBe("adjusted-wald");
    expect(s.nps).toBeCloseTo(60, 10);
    expect(s.stdError).toBeCloseTo(100 * Math.sqrt(0.44 / 10), 10);
    expect(s.ciLow).toBeCloseTo(7.0394, 3);
    expect(s.ciHigh).toBeCloseTo(85.2683, 3);
  });
  it("vector 4: all 10 detractors gives [-100 (clipped from -106.3), -47.5036], not a point", () => {
    const s = fromCounts(10, 0, 0);
    expect(s.ciLow).toBe(-100);
    expect(s.ciHigh).toBeCloseTo(-47.5036, 3);
  });
  it("vector 5: all 10 promoters gives [47.5036, 100]", () => {
    const s = fromCounts(0, 0, 10);
    expect(s.ciLow).toBeCloseTo(47.5036, 3);
    expect(s.ciHigh).toBe(100);
  });
  it("a single answer has an interval of real width", () => {
    const s = npsFromScores([10]);
    expect(s.ciHigh - s.ciLow).toBeGreaterThan(50);
    expect(s.ciLow).toBeLessThan(100);
  });
  it("vector 1 (n = 100) keeps the Wald interval; the threshold is a parameter", () => {
    expect(fromCounts(20, 30, 50).ciMethod).toBe("wald");
    const tally = emptyNpsTally();
    for (const score of scoresOf(20, 30, 50)) addToNpsTally(tally, score);
    // R: n' = 103, p+' = 50.75/103, p-' = 20.75/103 -> centre 0.291262, CI [0.140511, 0.442013]
    const adjusted = npsSummary(tally, 101);
    expect(adjusted.ciMethod).toBe("adjusted-wald");
    expect(adjusted.ciLow).toBeCloseTo(14.0511, 3);
    expect(adjusted.ciHigh).toBeCloseTo(44.2013, 3);
  });
});
