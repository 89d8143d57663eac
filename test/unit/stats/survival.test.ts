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

describe("subjects with a count", () => {
  // a subject with count k stands for k subjects alike: every estimate gets the same bits as the subjects one by one
  const random = (() => {
    let s = 12345;
    return () => ((s = Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  })();
  const one: { time: number; event: boolean; group: number }[] = Array.from({ length: 3000 }, () => ({ time: 1 + Math.floor(random() * 24), event: random() < 0.3, group: Math.floor(random() * 3) }));
  const cells = new Map<string, { time: number; event: boolean; group: number; count: number }>();
  for (const s of one) {
    const key = `${s.time},${s.event},${s.group}`;
    const cell = cells.get(key);
    if (cell) cell.count += 1;
    else cells.set(key, { ...s, count: 1 });
  }
  const counted = [...cells.values()];
  const same = (a: unknown, b: unknown) => expect(JSON.stringify(a, (_, v: unknown) => (typeof v === "number" ? Object.is(v, -0) ? "-0" : v.toString() : v))).toBe(JSON.stringify(b, (_, v: unknown) => (typeof v === "number" ? Object.is(v, -0) ? "-0" : v.toString() : v)));
  it("Kaplan–Meier, log-rank and Cox equal those of the expanded subjects, bit for bit", () => {
    expect(counted.length).toBeLessThan(200);
    same(kaplanMeier(counted), kaplanMeier(one));
    same(logRank([0, 1, 2].map((g) => counted.filter((s) => s.group === g))), logRank([0, 1, 2].map((g) => one.filter((s) => s.group === g))));
    const x = (s: { group: number }) => [s.group === 1 ? 1 : 0, s.group === 2 ? 1 : 0];
    const fitCounted = coxEfron(counted, counted.map(x));
    expect(fitCounted).not.toBeNull();
    // the Cox cells form in order of first appearance: the counted list keeps that order
    same(fitCounted, coxEfron(one, one.map(x)));
  });
});
