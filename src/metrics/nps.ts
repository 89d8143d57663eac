/**
 * Net Promoter Score and its uncertainty (shared/DESIGN.md section 3; formulas in
 * shared/METHODS.md b2). NPS values are in points, -100..100; shares are fractions.
 */
import { DataError } from "../errors.js";
import { normalQuantile, normalTwoSidedP } from "../stats/distributions.js";

export type NpsCategory = "promoter" | "passive" | "detractor";

/** The three categories in report order. */
export const NPS_CATEGORIES: readonly NpsCategory[] = ["promoter", "passive", "detractor"];

/**
 * Bain's category of a 0-10 likelihood-to-recommend answer: 9-10 promoter, 7-8 passive,
 * 0-6 detractor (0 is a detractor).
 * @throws {RangeError} if the score is not a whole number 0-10
 * @example categoryOf(8) // => "passive"
 */
export function categoryOf(score: number): NpsCategory {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`a score must be a whole number 0-10, got ${score}`);
  }
  return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/** A score scale and its category cut-offs: promoters score `promoterFrom` or more, passives `passiveFrom` or more. */
export interface ScoreScale {
  min: number;
  max: number;
  promoterFrom: number;
  passiveFrom: number;
}

/** The NPS scale: 0-10, promoters 9-10, passives 7-8, detractors 0-6. */
export const NPS_SCALE: ScoreScale = { min: 0, max: 10, promoterFrom: 9, passiveFrom: 7 };

/**
 * The default cut-offs of a scale: 0-10 as Bain's NPS; any other scale top box = promoter,
 * the next box = passive, the rest detractors (1-5: 5 / 4 / 1-3).
 */
export function defaultScale(min: number, max: number): ScoreScale {
  if (min === 0 && max === 10) return NPS_SCALE;
  return { min, max, promoterFrom: max, passiveFrom: max - 1 };
}

/**
 * The category of a whole-number score on a scale.
 * @throws {RangeError} if the score is not a whole number within the scale
 * @example scaleCategory(4, defaultScale(1, 5)) // => "passive"
 */
export function scaleCategory(score: number, scale: ScoreScale): NpsCategory {
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    throw new RangeError(`a score must be a whole number ${scale.min}-${scale.max}, got ${score}`);
  }
  return score >= scale.promoterFrom ? "promoter" : score >= scale.passiveFrom ? "passive" : "detractor";
}

/**
 * A mergeable running count of answers: unweighted counts plus weight sums. Tallies of
 * disjoint sets of responses merge associatively and commutatively, so groups and chunks
 * can be counted separately.
 */
export interface NpsTally {
  promoters: number;
  passives: number;
  detractors: number;
  weight: number;
  weightSquared: number;
  promoterWeight: number;
  detractorWeight: number;
}

export function emptyNpsTally(): NpsTally {
  return { promoters: 0, passives: 0, detractors: 0, weight: 0, weightSquared: 0, promoterWeight: 0, detractorWeight: 0 };
}

/** Adds one 0-10 answer (weight 1 unless given). A response with weight 0 is not counted at all. */
export function addToNpsTally(tally: NpsTally, score: number, weight = 1): NpsTally {
  return addCategoryToNpsTally(tally, categoryOf(score), weight);
}

/** Adds one answer already put in its category (any scale; see scaleCategory). */
export function addCategoryToNpsTally(tally: NpsTally, category: NpsCategory, weight = 1): NpsTally {
  if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`a weight must be a finite number >= 0, got ${weight}`);
  if (weight === 0) return tally;
  tally.weight += weight;
  tally.weightSquared += weight * weight;
  if (category === "promoter") {
    tally.promoters += 1;
    tally.promoterWeight += weight;
  } else if (category === "detractor") {
    tally.detractors += 1;
    tally.detractorWeight += weight;
  } else {
    tally.passives += 1;
  }
  return tally;
}

/** A new tally equal to counting the responses of both. */
export function mergeNpsTallies(a: NpsTally, b: NpsTally): NpsTally {
  return {
    promoters: a.promoters + b.promoters,
    passives: a.passives + b.passives,
    detractors: a.detractors + b.detractors,
    weight: a.weight + b.weight,
    weightSquared: a.weightSquared + b.weightSquared,
    promoterWeight: a.promoterWeight + b.promoterWeight,
    detractorWeight: a.detractorWeight + b.detractorWeight,
  };
}

export interface NpsSummary {
  /** Number of responses counted (positive weight). */
  n: number;
  /** Kish's effective sample size (Σw)²/Σw²; equals n without weights. */
  effectiveN: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoterShare: number;
  detractorShare: number;
  nps: number;
  stdError: number;
  ciLow: number;
  ciHigh: number;
  /**
   * "wald": NPS ± z·SE. "adjusted-wald" (below `SMALL_SAMPLE_N` effective responses): the
   * interval of Rocks (2016) and Lewis & Sauro, which does not collapse to a point when every
   * answer is in one category; `nps` and `stdError` stay the plain values.
   */
  ciMethod: "wald" | "adjusted-wald";
}

/** Below this many (effective) responses an NPS is a small sample: flagged, with the adjusted-Wald interval. */
export const SMALL_SAMPLE_N = 30;

const Z_95 = normalQuantile(0.975);

function clipToScale(value: number): number {
  return Math.min(100, Math.max(-100, value));
}

/**
 * Net Promoter Score: percent promoters (9-10) minus percent detractors (0-6), from -100 to 100,
 * with its Wald standard error 100·sqrt((p₊ + p₋ − (p₊ − p₋)²)/n) and 95% interval NPS ± z·SE
 * (z = Φ⁻¹(0.975)), clipped to [-100, 100]. Weighted when weights were tallied, with Kish's
 * effective n in the standard error. Checked against R in test/reference.
 *
 * Below `smallSampleBelow` effective responses (default 30) the Wald interval is unreliable and
 * collapses to a point when all answers agree (n = 1, or all promoters), so the interval is the
 * adjusted Wald one (shared/METHODS.md b2): n' = n + 3, p₊' = (n₊ + ¾)/n', p₋' = (n₋ + ¾)/n',
 * NPS' ± z·sqrt((p₊' + p₋' − (p₊' − p₋')²)/n'), clipped, and widened to hold the observed NPS where
 * the shift towards 0 would leave it outside.
 * @throws {DataError} if there are no responses
 * @example npsSummary(tallyOf([10, 9, 7, 3])).nps // => 25
 */
export function npsSummary(tally: NpsTally, smallSampleBelow = SMALL_SAMPLE_N): NpsSummary {
  const n = tally.promoters + tally.passives + tally.detractors;
  if (n === 0 || tally.weight === 0) throw new DataError("nps requires at least one response");
  const promoterShare = tally.promoterWeight / tally.weight;
  const detractorShare = tally.detractorWeight / tally.weight;
  const effectiveN = (tally.weight * tally.weight) / tally.weightSquared;
  const difference = promoterShare - detractorShare;
  // max(0, …) only absorbs rounding: the variance of a {-1, 0, 1} score cannot be negative
  const variance = Math.max(0, promoterShare + detractorShare - difference * difference);
  const nps = 100 * difference;
  const stdError = 100 * Math.sqrt(variance / effectiveN);
  let ciLow = nps - Z_95 * stdError;
  let ciHigh = nps + Z_95 * stdError;
  const adjusted = effectiveN < smallSampleBelow;
  if (adjusted) {
    const nAdjusted = effectiveN + 3;
    const promoters = (promoterShare * effectiveN + 0.75) / nAdjusted;
    const detractors = (detractorShare * effectiveN + 0.75) / nAdjusted;
    const centre = promoters - detractors;
    const half = Z_95 * Math.sqrt(Math.max(0, promoters + detractors - centre * centre) / nAdjusted);
    // the shift towards 0 can leave a lopsided sample's own NPS just outside: the interval always holds it
    ciLow = Math.min(nps, 100 * (centre - half));
    ciHigh = Math.max(nps, 100 * (centre + half));
  }
  return {
    n,
    effectiveN,
    promoters: tally.promoters,
    passives: tally.passives,
    detractors: tally.detractors,
    promoterShare,
    detractorShare,
    nps,
    stdError,
    ciLow: clipToScale(ciLow),
    ciHigh: clipToScale(ciHigh),
    ciMethod: adjusted ? "adjusted-wald" : "wald",
  };
}

/**
 * NPS of a plain list of 0-10 scores.
 * @example npsFromScores([10, 9, 7, 3]).nps // => 25
 */
export function npsFromScores(scores: readonly number[]): NpsSummary {
  const tally = emptyNpsTally();
  for (const score of scores) addToNpsTally(tally, score);
  return npsSummary(tally);
}

export interface NpsDifference {
  /** a.nps − b.nps, in points. */
  difference: number;
  stdError: number;
  z: number | null;
  p: number | null;
  ciLow: number;
  ciHigh: number;
}

/**
 * Difference between two independent NPS values (Wald): z = (NPS₁ − NPS₂)/sqrt(SE₁² + SE₂²),
 * two-sided p = 2·(1 − Φ(|z|)). z and p are null when both standard errors are 0.
 * @example npsDifference(a, b).p
 */
export function npsDifference(a: NpsSummary, b: NpsSummary): NpsDifference {
  const difference = a.nps - b.nps;
  const stdError = Math.sqrt(a.stdError ** 2 + b.stdError ** 2);
  const z = stdError > 0 ? difference / stdError : null;
  return {
    difference,
    stdError,
    z,
    p: z === null ? null : normalTwoSidedP(z),
    ciLow: difference - Z_95 * stdError,
    ciHigh: difference + Z_95 * stdError,
  };
}
