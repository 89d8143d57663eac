/**
 * NPS targets that do not pay bonuses on noise (issue "Act on it", item 1). Per group: the
 * minimum detectable change of its NPS between two periods of its size at 80% power and 5%
 * two-sided, a proposed target never closer to today than that, and, against a given target,
 * met / not met / cannot tell with the chance the true NPS is at or above it.
 */
import { normalQuantile, standardNormalCdf } from "../stats/distributions.js";
import type { NpsSummary } from "./nps.js";

export type TargetRule = { kind: "points"; points: number } | { kind: "gap"; share: number } | { kind: "benchmark"; share: number };

const Z_ALPHA = normalQuantile(0.975);
const Z_POWER = normalQuantile(0.8);

/** Per-response variance of the +1/0/−1 NPS code: p₊ + p₋ − (p₊ − p₋)². */
export function npsVariance(promoterShare: number, detractorShare: number): number {
  return promoterShare + detractorShare - (promoterShare - detractorShare) ** 2;
}

/**
 * The smallest change of NPS (points) between two independent periods of n responses each that a
 * two-sided 5% Wald test detects with 80% power: (z₀.₉₇₅ + z₀.₈) · 100 · √(2σ²/n).
 */
export function minimumDetectableChange(promoterShare: number, detractorShare: number, n: number): number {
  if (n <= 0) return Number.POSITIVE_INFINITY;
  return (Z_ALPHA + Z_POWER) * 100 * Math.sqrt((2 * npsVariance(promoterShare, detractorShare)) / n);
}

export function parseTargetRule(text: string): TargetRule {
  const points = /^\s*points\s*:\s*(\d+(?:\.\d+)?)\s*$/i.exec(text);
  if (points) return { kind: "points", points: Number(points[1]) };
  const gap = /^\s*gap\s*:\s*(\d*\.?\d+)\s*$/i.exec(text);
  if (gap && Number(gap[1]) > 0 && Number(gap[1]) <= 1) return { kind: "gap", share: Number(gap[1]) };
  const benchmark = /^\s*benchmark\s*(?::\s*(\d*\.?\d+)\s*)?$/i.exec(text);
  if (benchmark && (benchmark[1] === undefined || (Number(benchmark[1]) > 0 && Number(benchmark[1]) <= 1))) return { kind: "benchmark", share: benchmark[1] === undefined ? 0.25 : Number(benchmark[1]) };
  throw new RangeError(`"${text}" is not a target rule; write points:5 (today + 5 points), gap:0.25 (a quarter of the way to the best group) or benchmark[:0.25] (a quarter of the way to the first --benchmark)`);
}

export interface GroupTarget {
  group: string;
  n: number;
  nps: number;
  ciLow: number;
  ciHigh: number;
  stdError: number;
  minimumDetectableChange: number;
  /** null when no fair target exists (today + the minimum detectable change is above 100, or too few responses). */
  proposedTarget: number | null;
  note: string | null;
  /** From --targets; null without one for the group. */
  target: number | null;
  difference: number | null;
  differenceCiLow: number | null;
  differenceCiHigh: number | null;
  /** P(true NPS ≥ target) under the normal approximation: Φ((NPS − target) / SE). */
  chanceMet: number | null;
  status: "met" | "not met" | "cannot tell" | null;
}

/**
 * Targets per group. The gap rule goes part of the way to the highest group NPS, the benchmark
 * rule part of the way to `benchmarkNps` (a group already above it gets today + the detectable change).
 */
export function groupTargets(
  groups: readonly { group: string; summary: NpsSummary }[],
  rule: TargetRule,
  given: ReadonlyMap<string, number>,
  minN: number,
  benchmarkNps: number | null = null,
): GroupTarget[] {
  if (rule.kind === "benchmark" && benchmarkNps === null) throw new RangeError("the benchmark target rule needs a benchmark");
  const best = rule.kind === "benchmark" ? benchmarkNps! : Math.max(...groups.map((g) => g.summary.nps));
  return groups.map(({ group, summary: s }) => {
    const mdc = minimumDetectableChange(s.promoterShare, s.detractorShare, s.effectiveN);
    const wanted = rule.kind === "points" ? s.nps + rule.points : s.nps + rule.share * Math.max(0, best - s.nps);
    const floor = s.nps + mdc;
    const proposed = Math.max(wanted, floor);
    const fair = s.n >= minN && proposed <= 100;
    const note = fair
      ? proposed > wanted
        ? `raised to today + the minimum detectable change (${mdc.toFixed(1)} points): a smaller rise could be chance`
        : null
      : s.n < minN
        ? `too few responses (${s.n}, fewer than ${minN}) for a fair target`
        : `no fair target: a rise under ${mdc.toFixed(1)} points cannot be told from chance, and today + that is above 100`;
    const target = given.get(group) ?? null;
    const se = s.stdError;
    let status: GroupTarget["status"] = null;
    let chanceMet: number | null = null;
    if (target !== null) {
      status = s.ciLow >= target ? "met" : s.ciHigh < target ? "not met" : "cannot tell";
      chanceMet = se > 0 ? standardNormalCdf((s.nps - target) / se) : s.nps >= target ? 1 : 0;
    }
    return {
      group,
      n: s.n,
      nps: s.nps,
      ciLow: s.ciLow,
      ciHigh: s.ciHigh,
      stdError: se,
      minimumDetectableChange: mdc,
      proposedTarget: fair ? proposed : null,
      note,
      target,
      difference: target === null ? null : s.nps - target,
      differenceCiLow: target === null ? null : s.ciLow - target,
      differenceCiHigh: target === null ? null : s.ciHigh - target,
      chanceMet,
      status,
    };
  });
}
