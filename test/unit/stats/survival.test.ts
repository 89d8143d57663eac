import { describe, expect, it } from "vitest";
import { coxEfron, kaplanMeier, logRank, medianSurvival, survivalAt } from "../../../src/stats/survival.js";

// times 1, 2, 2+ (censored), 3: S = 3/4 after 1, 3/4 · 2/3 = 1/2 after 2, 0 after 3.
// R: survfit(Surv(c(1,2,2,3), c(1,1,0,1)) ~ 1): median 2.5, summary(times = 1:2)$lower
// 0.42593226849798205, 0.18765892870658832, upper capped at 1.
const subjects = [
  { time: 1, event: true },
  { time: 2, event: true },
  { time: 2, event: false },
  { time: 3, event: true },
];

describe("Kaplan–Meier", () => {
  it("steps, Greenwood limits on the log scale, and R's median at an exact 0.5", () => {
    const steps = kaplanMeier(subjects);
    expect(steps.map((s) => [s.time, s.atRisk, s.events, s.survival])).toEqual([[1, 4, 1, 0.75], [2, 3, 1, 0.5], [3, 1, 1, 0]]);
    const one = survivalAt(steps, 3, 1);
    expect(one.survival).toBe(0.75);
    expect(one.ciLow).toBeCloseTo(0.42593226849798205, 12);
    expect(one.ciHigh).toBe(1);
    expect(survivalAt(steps, 3, 2).ciLow).toBeCloseTo(0.18765892870658832, 12);
    expect(medianSurvival(steps)).toBe(2.5);
    expect(survivalAt(steps, 3, 0.5)).toEqual({ t: 0.5, survival: 1, ciLow: 1, ciHigh: 1 });
    expect(survivalAt(steps, 3, 4).survival).toBeNull();
  });
  it("no events: S stays 1, no median, no log-rank test, no Cox model", () => {
    const censored = [{ time: 4, event: false }, { time: 6, event: false }];
    expect(kaplanMeier(censored)).toEqual([]);
    expect(survivalAt(kaplanMeier(censored), 6, 3).survival).toBe(1);
    expect(medianSurvival(kaplanMeier(censored))).toBeNull();
    expect(logRank([censored, censored])).toBeNull();
    expect(coxEfron(censored, [[0], [1]])).toBeNull();
  });
  it("a category with no event gives no Cox model rather than an infinite hazard ratio", () => {
    const a = [1, 2, 3, 4, 5].map((time) => ({ time, event: true }));
    const b = [1, 2, 3, 4, 5].map((time) => ({ time, event: false }));
    const x = [...a.map(() => [0]), ...b.map(() => [1])];
    expect(coxEfron([...a, ...b], x)).toBeNull();
  });
});
