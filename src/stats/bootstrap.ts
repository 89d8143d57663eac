/**
 * Bootstrap helpers: resample counts from a seeded generator, correlation matrices of
 * resampled rows (as frequency weights, so no rows are copied), percentile intervals.
 */
import { clampCorrelation } from "./correlation.js";
import type { Random } from "./random.js";

/**
 * How often each of n rows is drawn in one resample of n rows with replacement.
 * @example resampleCounts(3, random) // e.g. Int32Array [2, 0, 1]
 */
export function resampleCounts(n: number, random: Random): Int32Array {
  const counts = new Int32Array(n);
  // random.integer(0, n - 1) without the call: the same draws, so the same counts
  const next = random.next;
  for (let i = 0; i < n; i++) counts[Math.floor(next() * n)]!++;
  return counts;
}

/**
 * Correlation matrix of m columns stored row-major in `rows` (n·m values), each row counted
 * `counts[i]` times (all once without counts). Two-pass, like correlationMatrix.
 */
export function weightedCorrelationMatrix(rows: Float64Array, m: number, counts?: Int32Array): number[][] {
  const n = rows.length / m;
  const means = new Float64Array(m);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = counts ? counts[i]! : 1;
    if (w === 0) continue;
    total += w;
    for (let j = 0; j < m; j++) means[j]! += w * rows[i * m + j]!;
  }
  for (let j = 0; j < m; j++) means[j]! /= total;
  const cross = new Float64Array(m * m);
  const centred = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const w = counts ? counts[i]! : 1;
    if (w === 0) continue;
    for (let j = 0; j < m; j++) centred[j] = rows[i * m + j]! - means[j]!;
    for (let a = 0; a < m; a++) {
      const wa = w * centred[a]!;
      for (let b = a; b < m; b++) cross[a * m + b]! += wa * centred[b]!;
    }
  }
  const matrix = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let a = 0; a < m; a++) {
    matrix[a]![a] = 1;
    for (let b = a + 1; b < m; b++) {
      const r = clampCorrelation(cross[a * m + b]! / Math.sqrt(cross[a * m + a]! * cross[b * m + b]!));
      matrix[a]![b] = matrix[b]![a] = r;
    }
  }
  return matrix;
}

/**
 * The q-quantile of the values by linear interpolation between order statistics (R's
 * quantile(type = 7), its default). Sorts a copy.
 * @example quantile([1, 2, 3, 4], 0.5) // => 2.5
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new RangeError("quantile of no values");
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

/** The percentile interval [q(α/2), q(1 − α/2)] of bootstrap replicates. */
export function percentileInterval(values: ArrayLike<number>, confidence = 0.95): [number, number] {
  const alpha = 1 - confidence;
  return [quantile(values, alpha / 2), quantile(values, 1 - alpha / 2)];
}
