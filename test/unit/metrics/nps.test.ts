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

const fromCounts = (detractors: number, passives: number, promoters: number) =>
  npsFromScores([...Array(detractors).fill(3), ...Array(passives).fill(7), ...Array(promoters).fill(10)]);

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
  it("vector 4: all detractors gives a degenerate interval at -100, not NaN", () => {
    const s = fromCounts(10, 0, 0);
    expect(s.nps).toBe(-100);
    expect(s.stdError).toBe(0);
    expect([s.ciLow, s.ciHigh]).toEqual([-100, -100]);
  });
  it("clips the interval to [-100, 100] (vector 2's Wald upper bound is 101.1)", () => {
    const s = fromCounts(1, 2, 7);
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
