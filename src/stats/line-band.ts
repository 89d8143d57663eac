/**
 * The fitted line of y on x by ordinary least squares and its pointwise confidence band for the
 * mean, as R's `predict(lm(y ~ x), newdata, interval = "confidence")`:
 * ŷ(x) ± t(1 − (1 − level)/2, n − 2) · s · √(1/n + (x − x̄)² / Sxx).
 */
import { studentTQuantile } from "./distributions.js";

export interface BandPoint {
  x: number;
  y: number;
  low: number;
  high: number;
}

/** null with fewer than 3 points or a constant x (no line, or no residual variance to band it). */
export function lineConfidenceBand(x: readonly number[], y: readonly number[], at: readonly number[], level = 0.95): BandPoint[] | null {
  const n = x.length;
  if (n !== y.length) throw new RangeError("x and y differ in length");
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - intercept - slope * x[i]!) ** 2;
  const s = Math.sqrt(rss / (n - 2));
  const t = studentTQuantile(1 - (1 - level) / 2, n - 2);
  return at.map((xi) => {
    const fit = intercept + slope * xi;
    const half = t * s * Math.sqrt(1 / n + (xi - mx) ** 2 / sxx);
    return { x: xi, y: fit, low: fit - half, high: fit + half };
  });
}

/** `count` evenly spaced points from the smallest to the largest x (for drawing a band). */
export function spanOf(x: readonly number[], count = 25): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}
