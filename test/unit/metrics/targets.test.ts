import { describe, expect, it } from "vitest";
import { addCategoryToNpsTally, emptyNpsTally, npsSummary, type NpsCategory } from "../../../src/metrics/nps.js";
import { groupTargets, minimumDetectableChange, npsVariance, parseTargetRule } from "../../../src/metrics/targets.js";
import { createRandom } from "../../../src/stats/random.js";

const summaryOf = (promoters: number, passives: number, detractors: number) => {
  const tally = emptyNpsTally();
  const add = (k: NpsCategory, n: number) => { for (let i = 0; i < n; i++) addCategoryToNpsTally(tally, k); };
  add("promoter", promoters); add("passive", passives); add("detractor", detractors);
  return npsSummary(tally, 30);
};

describe("the minimum detectable change of NPS", () => {
  it("is (z.975 + z.80) · 100 · √(2σ²/n) with σ² = p₊ + p₋ − (p₊ − p₋)² (METHODS b1)", () => {
    // p₊ 0.4, p₋ 0.2: σ² = 0.6 − 0.04 = 0.56; n = 200: 2.8015852 · 100 · √(0.0056)
    expect(npsVariance(0.4, 0.2)).toBeCloseTo(0.56, 15);
    expect(minimumDetectableChange(0.4, 0.2, 200)).toBeCloseTo((1.959963984540054 + 0.8416212335729143) * 100 * Math.sqrt(0.0056), 12);
  });
  it("is detected 80% of the time by the two-sample Wald test at 5%, by simulation", () => {
    // two periods of n = 400 answers; the second period's promoters rise so that NPS rises by the MDC
    const n = 400;
    const [p, d] = [0.4, 0.2];
    const mdc = minimumDetectableChange(p, d, n) / 100;
    const random = createRandom(20261202);
    const draw = (pp: number, pd: number) => {
      let net = 0;
      let prom = 0;
      let det = 0;
      for (let i = 0; i < n; i++) {
        const u = random.next();
        if (u < pp) { net++; prom++; } else if (u < pp + pd) { net--; det++; }
      }
      const sp = prom / n;
      const sd = det / n;
      return { nps: net / n, variance: (sp + sd - (sp - sd) ** 2) / n };
    };
    let detected = 0;
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      const a = draw(p, d);
      // half the change from more promoters, half from fewer detractors, passives take the rest
      const b = draw(p + mdc / 2, d - mdc / 2);
      if ((b.nps - a.nps) / Math.sqrt(a.variance + b.variance) > 1.959963984540054) detected++;
    }
    // 4,000 runs at a true 80%: sd 0.63 points; the power is evaluated at the first period's variance, so allow ±3 points
    expect(detected / runs).toBeGreaterThan(0.77);
    expect(detected / runs).toBeLessThan(0.83);
  });
});

describe("targets (worked by hand)", () => {
  // A: 100 answers, 40 promoters, 20 detractors: NPS +20, SE = 100 · √(0.56/100) = 7.483; Wald 95% CI ±14.67
  // B: 100 answers, 30 promoters, 30 detractors: NPS 0; C: 10 answers (fewer than minN 30)
  const groups = [
    { group: "A", summary: summaryOf(40, 40, 20) },
    { group: "B", summary: summaryOf(30, 40, 30) },
    { group: "C", summary: summaryOf(5, 3, 2) },
  ];
  it("proposes today + the rule, never closer than the detectable change, and no target for a small group", () => {
    const [a, b, c] = groupTargets(groups, parseTargetRule("points:5"), new Map(), 30);
    const mdcA = minimumDetectableChange(0.4, 0.2, 100);
    expect(a!.minimumDetectableChange).toBeCloseTo(mdcA, 12);
    expect(a!.proposedTarget).toBeCloseTo(20 + mdcA, 12);
    expect(a!.note).toMatch(/raised to today \+ the minimum detectable change/);
    expect(b!.proposedTarget).toBeCloseTo(minimumDetectableChange(0.3, 0.3, 100), 12);
    expect(c!.proposedTarget).toBeNull();
    expect(c!.note).toBe("too few responses (10, fewer than 30) for a fair target");
    // a generous rule is kept as it is: B at gap:1 goes all the way to A's +20, above its detectable change
    const [, gapB] = groupTargets(groups, parseTargetRule("gap:1"), new Map(), 30);
    expect(gapB!.proposedTarget).toBeCloseTo(Math.max(20, minimumDetectableChange(0.3, 0.3, 100)), 12);
  });
  it("says met, not met or cannot tell against a target, with the chance the true NPS is at or above it", () => {
    const given = new Map([["A", 0], ["B", 0], ["C", 90]]);
    const [a, b, c] = groupTargets(groups, parseTargetRule("points:5"), given, 30);
    // A: CI +5.3 to +34.7, all above 0: met; chance Φ(20 / 7.483) (R: pnorm(20 / (100 * sqrt(0.0056))))
    expect(a!.status).toBe("met");
    expect(a!.chanceMet).toBeCloseTo(0.996236842416771, 12);
    expect(a!.difference).toBeCloseTo(20, 12);
    // B: NPS exactly at its target: the interval straddles it, chance one half
    expect(b!.status).toBe("cannot tell");
    expect(b!.chanceMet).toBeCloseTo(0.5, 12);
    // C: NPS +30 against 90, far below
    expect(c!.status).toBe("not met");
    expect(c!.chanceMet!).toBeLessThan(0.01);
  });
  it("reads target rules as written, and refuses what it cannot read", () => {
    expect(parseTargetRule("points:5")).toEqual({ kind: "points", points: 5 });
    expect(parseTargetRule("gap:0.25")).toEqual({ kind: "gap", share: 0.25 });
    expect(() => parseTargetRule("gap:2")).toThrow(/not a target rule/);
    expect(parseTargetRule("benchmark")).toEqual({ kind: "benchmark", share: 0.25 });
    expect(parseTargetRule("Benchmark: 0.5")).toEqual({ kind: "benchmark", share: 0.5 });
    expect(() => parseTargetRule("benchmark:1.5")).toThrow(/not a target rule/);
    expect(() => parseTargetRule("benchmarks")).toThrow(/not a target rule/);
  });
});
