import { describe, expect, it } from "vitest";
import {
  bootstrapBlockCount,
  detectScale,
  driverImportance,
  importanceBlock,
  importanceWithoutIntervals,
  planImportance,
  RESAMPLES_PER_BLOCK,
  withIntervals,
  type BootstrapBlock,
} from "../../src/metrics/driver-importance.js";
import { foldedResample, foldRows, POISSON_FROM } from "../../src/stats/bootstrap.js";
import { createRandom } from "../../src/stats/random.js";
import { allSubsetMcFadden } from "../../src/stats/logistic.js";
import { lmgFromSubsets } from "../../src/stats/relative-importance.js";
import { correlationMatrix } from "../../src/stats/correlation.js";

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

const SEED = 77;

/** Ratings 1-10 with a common factor; the outcome depends on the first `active` drivers only. */
function survey(n: number, p: number, active: number, seed: number) {
  const random = createRandom(seed);
  const drivers = Array.from({ length: p }, (_, j) => ({ name: `d${j}`, values: new Array<number | null>(n) }));
  const outcome = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const factor = random.normal();
    let y = 2 + 1.2 * random.normal();
    for (let j = 0; j < p; j++) {
      const rating = Math.min(10, Math.max(1, Math.round(6 + (j < active ? factor : 0) + 1.5 * random.normal())));
      drivers[j]!.values[i] = rating;
      if (j < active) y += (0.4 - 0.1 * j) * rating;
    }
    outcome[i] = y;
  }
  return { drivers, outcome };
}

describe(`importance properties (seed ${SEED})`, () => {
  it("LMG and relative weights are non-negative and sum to R²; invariant to reordering and rescaling the drivers", () => {
    for (let run = 0; run < 10; run++) {
      const { drivers, outcome } = survey(300, 4 + (run % 3), 3, SEED + run);
      const result = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 0 });
      const lmg = result.importance.map((r) => r.lmg);
      const rw = result.importance.map((r) => r.relativeWeight!);
      expect(Math.min(...lmg)).toBeGreaterThanOrEqual(0);
      expect(Math.min(...rw)).toBeGreaterThanOrEqual(0);
      expect(lmg.reduce((a, b) => a + b, 0)).toBeCloseTo(result.rSquared, 12);
      expect(rw.reduce((a, b) => a + b, 0)).toBeCloseTo(result.rSquared, 12);
      const reversed = [...drivers].reverse().map((d, k) => ({ name: d.name, values: d.values.map((v) => (v === null ? null : v * (k + 2) - 3)) }));
      const again = driverImportance(outcome, reversed, drivers.map(() => 1), { bootstrap: 0 });
      for (const row of result.importance) {
        const other = again.importance.find((r) => r.driver === row.driver)!;
        expect(other.lmg).toBeCloseTo(row.lmg, 12);
        expect(other.relativeWeight).toBeCloseTo(row.relativeWeight!, 12);
      }
    }
  });

  it("a driver that is pure noise is not significant: its interval against the random variable covers 0", () => {
    const { drivers, outcome } = survey(500, 4, 3, SEED);
    const result = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 300, seed: 5 });
    const noise = result.importance.find((r) => r.driver === "d3")!;
    expect(noise.vsRandomCiLow!).toBeLessThanOrEqual(0);
    expect(noise.vsRandomCiHigh!).toBeGreaterThanOrEqual(0);
    expect(noise.significant).toBe(false);
    expect(noise.lmgShareCiLow!).toBeLessThan(0.02);
    expect(result.importance.find((r) => r.driver === "d0")!.significant).toBe(true);
  });

  it("from POISSON_FROM responses (Poisson resamples, a ±1 random variable): noise is not significant, and the intervals are as wide as n draws make them", () => {
    const { drivers, outcome } = survey(POISSON_FROM + 2000, 4, 3, SEED + 9);
    const poisson = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 300, seed: 5 });
    expect(poisson.bootstrap?.resampling).toBe("poisson");
    const noise = poisson.importance.find((r) => r.driver === "d3")!;
    expect(noise.vsRandomCiLow!).toBeLessThanOrEqual(0);
    expect(noise.vsRandomCiHigh!).toBeGreaterThanOrEqual(0);
    expect(noise.significant).toBe(false);
    for (const d of ["d0", "d1", "d2"]) expect(poisson.importance.find((r) => r.driver === d)!.significant).toBe(true);
    // the same survey's first POISSON_FROM − 1 responses: n draws with replacement
    const m = POISSON_FROM - 1;
    const fewer = driverImportance(
      outcome.slice(0, m),
      drivers.map((d) => ({ name: d.name, values: d.values.slice(0, m) })),
      drivers.map(() => 1),
      { bootstrap: 300, seed: 5 },
    );
    expect(fewer.bootstrap?.resampling).toBe("rows");
    // the drivers that matter (a null driver's share is a squared correlation: its spread goes as 1/n)
    for (const row of poisson.importance.filter((r) => r.driver !== "d3")) {
      const other = fewer.importance.find((r) => r.driver === row.driver)!;
      // widths shrink as 1/√n; 300 resamples put each interval's ends within about 10%
      const ratio = ((row.lmgShareCiHigh! - row.lmgShareCiLow!) / (other.lmgShareCiHigh! - other.lmgShareCiLow!)) * Math.sqrt((POISSON_FROM + 2000) / m);
      expect(ratio, row.driver).toBeGreaterThan(0.75);
      expect(ratio, row.driver).toBeLessThan(1.33);
    }
  });

  it("a promoter-model resample refits on the distinct rows, each weighted by its draws: the model of those rows written out as drawn", () => {
    const { drivers, outcome } = survey(600, 3, 2, SEED + 4);
    const sorted = [...outcome].sort((a, b) => a - b);
    const binary = outcome.map((y) => (y > sorted[300]! ? 1 : 0));
    const plan = planImportance(binary, drivers, drivers.map(() => 1), { model: "logistic", bootstrap: 1, seed: 9 });
    const replicate = importanceBlock(plan, 0);
    // the same resample by hand: the rows folded, drawn from block 0's stream, written out
    const m = 4;
    const rows = new Float64Array(600 * m);
    for (let i = 0; i < 600; i++) {
      for (let j = 0; j < 3; j++) rows[i * m + j] = drivers[j]!.values[i]!;
      rows[i * m + 3] = binary[i]!;
    }
    const folded = foldRows(rows, m);
    const { weights } = foldedResample(folded, createRandom(9 + 0x9e3779b9 + Math.imul(0, 0x2545f491)));
    const written: number[][] = [];
    for (let q = 0; q < folded.k; q++) for (let c = 0; c < weights[q]!; c++) written.push(Array.from(folded.patterns.subarray(q * m, q * m + m)));
    expect(written.length).toBe(600);
    const alone = driverImportance(
      written.map((r) => r[3]!),
      drivers.map((d, j) => ({ name: d.name, values: written.map((r) => r[j]!) })),
      drivers.map(() => 1),
      { model: "logistic", bootstrap: 0 },
    );
    alone.importance.forEach((row, j) => expect(replicate.lmg[j]![0]!, row.driver).toBeCloseTo(row.lmgShare, 8));
  });

  it("the bootstrap's blocks give the same result whichever plan (thread) makes them, in whatever order", () => {
    const { drivers, outcome } = survey(400, 4, 3, SEED + 2);
    for (const options of [{ bootstrap: 110, seed: 3 }, { bootstrap: 60, seed: 4, missing: "pairwise" as const }, { bootstrap: 40, seed: 5, exactLimit: 2, permutations: 300 }]) {
      const whole = driverImportance(outcome, drivers, drivers.map(() => 1), options);
      // two plans, as on two threads: one makes the even blocks, the other the odd ones, last first
      const plans = [planImportance(outcome, drivers, drivers.map(() => 1), options), planImportance(outcome, drivers, drivers.map(() => 1), options)];
      const count = bootstrapBlockCount(options.bootstrap);
      expect(count).toBe(Math.ceil(options.bootstrap / RESAMPLES_PER_BLOCK));
      const blocks: BootstrapBlock[] = new Array(count);
      for (let b = count - 1; b >= 0; b--) blocks[b] = importanceBlock(plans[b % 2]!, b);
      expect(blocks.reduce((sum, b) => sum + b.resamples, 0)).toBe(options.bootstrap);
      const split = withIntervals(importanceWithoutIntervals(plans[1]!), blocks);
      expect(split).toEqual(whole);
      expect(whole.importance[0]!.lmgShareCiLow).not.toBeNull();
      // and the blocks differ from one another (each its own stream)
      expect(blocks[1]!.lmg[0]).not.toEqual(blocks[0]!.lmg[0]);
    }
  });

  it("same seed, same intervals; another seed moves them only by Monte-Carlo noise", () => {
    const { drivers, outcome } = survey(400, 4, 3, SEED + 1);
    const a = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 400, seed: 1 });
    const b = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 400, seed: 1 });
    const c = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 400, seed: 2 });
    expect(b).toEqual(a);
    a.importance.forEach((row, j) => {
      const other = c.importance[j]!;
      expect(other.lmgShare).toBe(row.lmgShare);
      expect(other.lmgShareCiLow).not.toBe(row.lmgShareCiLow);
      expect(Math.abs(other.lmgShareCiLow! - row.lmgShareCiLow!)).toBeLessThan(0.03);
      expect(Math.abs(other.lmgShareCiHigh! - row.lmgShareCiHigh!)).toBeLessThan(0.03);
    });
  });

  it("above the exact limit LMG is a Monte-Carlo estimate within a few standard errors of the exact value", () => {
    const { drivers, outcome } = survey(300, 6, 4, SEED + 2);
    const exact = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 0 });
    const estimated = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 0, exactLimit: 3, permutations: 3000, seed: 3 });
    expect(estimated.method).toBe("monte-carlo");
    expect(estimated.warnings.map((w) => w.code)).toContain("lmg-monte-carlo");
    estimated.importance.forEach((row, j) => {
      expect(Math.abs(row.lmg - exact.importance[j]!.lmg)).toBeLessThan(4 * row.lmgStdError! + 1e-12);
      expect(row.relativeWeight).toBeCloseTo(exact.importance[j]!.relativeWeight!, 12);
      expect(row.last).toBeCloseTo(exact.importance[j]!.last, 12);
    });
  });

  it("pairwise deletion uses more rows than listwise", () => {
    const { drivers, outcome } = survey(300, 4, 3, SEED + 3);
    const random = createRandom(1);
    const holed = drivers.map((d) => ({ name: d.name, values: d.values.map((v) => (random.chance(0.1) ? null : v)) }));
    const listwise = driverImportance(outcome, holed, drivers.map(() => 1), { bootstrap: 0 });
    const pairwise = driverImportance(outcome, holed, drivers.map(() => 1), { bootstrap: 50, missing: "pairwise" });
    expect(pairwise.n).toBeGreaterThan(listwise.n);
    expect(pairwise.missing).toBe("pairwise");
    expect(pairwise.importance.every((r) => r.lmgShareCiLow !== null)).toBe(true);
  });
});

describe("quadrant", () => {
  it("splits importance and performance at the medians into the four labels", () => {
    // four drivers: importance order d0 > d1 > d2 > d3; performance set by the mean rating
    const random = createRandom(9);
    const n = 400;
    const means = [4, 8, 4, 8];
    const weights = [0.8, 0.6, 0.2, 0.1];
    const drivers = means.map((mean, j) => ({ name: `d${j}`, values: Array.from({ length: n }, () => Math.min(10, Math.max(1, Math.round(mean + 1.5 * random.normal())))) as (number | null)[] }));
    const outcome = Array.from({ length: n }, (_, i) => drivers.reduce((y, d, j) => y + weights[j]! * d.values[i]!, random.normal()));
    const result = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 0, scale: { min: 1, max: 10 } });
    expect(result.importance.map((r) => r.quadrant)).toEqual(["fix first", "keep strong", "lower priority", "maintain"]);
    expect(result.importance[0]!.performance).toBeCloseTo((100 * (result.importance[0]!.mean - 1)) / 9, 12);
  });
  it("detects the rating scale from the data", () => {
    expect(detectScale([1, 5, 3, null])).toEqual({ min: 1, max: 5 });
    expect(detectScale([0, 9, 10])).toEqual({ min: 0, max: 10 });
    expect(detectScale([2, 6, 7])).toEqual({ min: 1, max: 7 });
    expect(detectScale([10, 85])).toEqual({ min: 1, max: 100 });
  });
});

describe("the promoter model's point estimate on the distinct rows", () => {
  it("equals the all-subsets fits of every row (McFadden LMG, first, last, R²) when answers repeat, and keeps the rows' correlations (to rounding)", () => {
    const random = createRandom(SEED + 40);
    // 4,000 answers on 1-4 scales: a few hundred distinct rows, each many times
    const n = 4000;
    const drivers = Array.from({ length: 4 }, (_, j) => ({ name: `d${j}`, values: Array.from({ length: n }, () => random.integer(1, 4)) as (number | null)[] }));
    const outcome = Array.from({ length: n }, (_, i) => (random.chance(1 / (1 + Math.exp(3 - 0.5 * drivers[0]!.values[i]! - 0.3 * drivers[2]!.values[i]!))) ? 1 : 0));
    const result = driverImportance(outcome, drivers, drivers.map(() => 1), { bootstrap: 0, model: "logistic" });
    const direct = allSubsetMcFadden(outcome, drivers.map((d) => d.values as number[]));
    const lmg = lmgFromSubsets(direct.values, 4);
    const full = 2 ** 4 - 1;
    expect(relativeError(result.rSquared, direct.values[full]!)).toBeLessThan(1e-9);
    result.importance.forEach((row, j) => {
      expect(relativeError(row.lmg, lmg[j]!), row.driver).toBeLessThan(1e-9);
      expect(relativeError(row.first, direct.values[1 << j]!), row.driver).toBeLessThan(1e-9);
      expect(Math.abs(row.last - (direct.values[full]! - direct.values[full & ~(1 << j)]!)), row.driver).toBeLessThan(1e-9 * direct.values[full]!);
      // the rows' correlation, computed from the distinct rows weighted by their counts: the same to rounding
      expect(relativeError(row.correlation, correlationMatrix([Float64Array.from(drivers[j]!.values as number[]), Float64Array.from(outcome)])[0]![1]!), row.driver).toBeLessThan(1e-12);
    });
  });
});
