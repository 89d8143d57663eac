/**
 * Distribution functions for inference, wrapped so the rest of loyalty never sees a
 * library's argument order or its NaN conventions.
 *
 * Tail probabilities come from the regularized incomplete beta function (@stdlib, checked
 * against SciPy/R to ~1e-15), evaluated directly on the tail, so tiny p-values keep their
 * precision instead of collapsing to 0 as `1 - cdf` would (shared/ECOSYSTEM.md section 7).
 */
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileLib from "@stdlib/stats-base-dists-normal-quantile";
import tQuantileLib from "@stdlib/stats-base-dists-t-quantile";

function checkDegreesOfFreedom(df: number, name = "degrees of freedom"): void {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`${name} must be a positive number, got ${df}`);
  }
}

function checkProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be strictly between 0 and 1, got ${p}`);
}

/** A probability held to [0, 1] (series evaluations can end a rounding step outside). */
function probability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Two-sided p-value of a Student t statistic: P(|T| >= |t|) with `df` degrees of freedom.
 * Computed as I_{df/(df+t²)}(df/2, 1/2), exact in the far tail.
 * @example studentTTwoSidedP(2.228138851986274, 10) // => 0.05
 */
export function studentTTwoSidedP(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (Number.isNaN(t)) throw new RangeError("t statistic is NaN");
  if (!Number.isFinite(t)) return 0;
  return probability(betainc(df / (df + t * t), df / 2, 0.5, true, false));
}

/**
 * Quantile of Student's t: the value q with P(T <= q) = p.
 * @example studentTQuantile(0.975, 10) // => 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  checkProbability(p);
  return tQuantileLib(p, df);
}

/**
 * Upper-tail probability of the F distribution: P(F >= f) on (d1, d2) degrees of freedom,
 * as I_{d2/(d2+d1·f)}(d2/2, d1/2), exact in the far tail.
 * @example fUpperTailP(0, 3, 20) // => 1
 */
export function fUpperTailP(f: number, d1: number, d2: number): number {
  checkDegreesOfFreedom(d1, "numerator degrees of freedom");
  checkDegreesOfFreedom(d2, "denominator degrees of freedom");
  if (Number.isNaN(f)) throw new RangeError("F statistic is NaN");
  if (f <= 0) return 1;
  if (!Number.isFinite(f)) return 0;
  return probability(betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false));
}

/**
 * Standard normal quantile Φ⁻¹(p).
 * @example normalQuantile(0.975) // => 1.959963984540054
 */
export function normalQuantile(p: number): number {
  checkProbability(p);
  return normalQuantileLib(p, 0, 1);
}

/** The standard normal distribution function Φ(z). */
export function standardNormalCdf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("z statistic is NaN");
  return probability(normalCdf(z, 0, 1));
}

/**
 * Two-sided p-value of a standard normal statistic: 2·Φ(−|z|).
 * @example normalTwoSidedP(1.959963984540054) // => 0.05
 */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) throw new RangeError("z statistic is NaN");
  return Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1));
}

/**
 * Upper-tail probability of the chi-square distribution: P(X >= x) with `df` degrees of
 * freedom, as the regularized upper incomplete gamma Q(df/2, x/2), exact in the far tail.
 * @example chiSquareUpperTailP(3.841458820694124, 1) // => 0.05
 */
export function chiSquareUpperTailP(x: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (Number.isNaN(x)) throw new RangeError("chi-square statistic is NaN");
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return probability(gammainc(x / 2, df / 2, true, true));
}
