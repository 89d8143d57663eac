/**
 * Our NPS against benchmarks (issue "Act on it", item 2), overall and per group. A benchmark with
 * its number of answers is a sample too: the difference is two-sample (Wald), with the benchmark's
 * variance from its promoter and detractor shares when given, else the largest its NPS allows,
 * 1 − NPS² (no passives), so the interval is never too narrow. Without n it is a fixed value: the
 * difference's interval is our own interval shifted by it. Pure.
 */
import { normalQuantile, normalTwoSidedP } from "../stats/distributions.js";
import type { Benchmark } from "../normalise/benchmarks.js";
import type { NpsSummary } from "./nps.js";

const Z_95 = normalQuantile(0.975);

export interface BenchmarkComparison {
  benchmark: string;
  /** null for the overall NPS, else the group. */
  group: string | null;
  n: number;
  nps: number;
  benchmarkNps: number;
  /** nps − benchmarkNps, in points. */
  difference: number;
  ciLow: number;
  ciHigh: number;
  /** Two-sided p of no difference (Wald); null when the standard error is 0. */
  p: number | null;
  /** "two-sample" with the benchmark's n, else "fixed". */
  method: "two-sample" | "fixed";
  /** How the benchmark's variance was had: "shares" (its promoters and detractors), "bound" (1 − NPS²), or null (fixed). */
  benchmarkVariance: "shares" | "bound" | null;
  /** The interval lies wholly above or below 0. */
  significant: boolean;
}

/** The benchmark's per-answer variance of the +1/0/−1 code. */
export function benchmarkVariance(b: Benchmark): { variance: number; source: "shares" | "bound" } {
  if (b.promoterShare !== null && b.detractorShare !== null) {
    return { variance: Math.max(0, b.promoterShare + b.detractorShare - (b.promoterShare - b.detractorShare) ** 2), source: "shares" };
  }
  return { variance: 1 - (b.nps / 100) ** 2, source: "bound" };
}

export function compareToBenchmark(ours: NpsSummary, group: string | null, b: Benchmark): BenchmarkComparison {
  const difference = ours.nps - b.nps;
  const common = { benchmark: b.name, group, n: ours.n, nps: ours.nps, benchmarkNps: b.nps, difference };
  if (b.n === null) {
    const ciLow = ours.ciLow - b.nps;
    const ciHigh = ours.ciHigh - b.nps;
    return { ...common, ciLow, ciHigh, p: ours.stdError > 0 ? normalTwoSidedP(difference / ours.stdError) : null, method: "fixed", benchmarkVariance: null, significant: ciLow > 0 || ciHigh < 0 };
  }
  const { variance, source } = benchmarkVariance(b);
  const se = Math.sqrt(ours.stdError ** 2 + (100 * 100 * variance) / b.n);
  const ciLow = difference - Z_95 * se;
  const ciHigh = difference + Z_95 * se;
  return { ...common, ciLow, ciHigh, p: se > 0 ? normalTwoSidedP(difference / se) : null, method: "two-sample", benchmarkVariance: source, significant: ciLow > 0 || ciHigh < 0 };
}

/** Every benchmark against the overall NPS, then against each group, in the groups' order. */
export function compareToBenchmarks(overall: NpsSummary, groups: readonly { group: string; summary: NpsSummary }[], benchmarks: readonly Benchmark[]): BenchmarkComparison[] {
  return benchmarks.flatMap((b) => [compareToBenchmark(overall, null, b), ...groups.map((g) => compareToBenchmark(g.summary, g.group, b))]);
}
