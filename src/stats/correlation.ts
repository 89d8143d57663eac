/**
 * Pearson correlation matrices, complete-case or pairwise. Two-pass (centred) sums, so large
 * means do not cost precision.
 */
import { normalQuantile, studentTTwoSidedP } from "./distributions.js";

/**
 * Correlation matrix of complete columns (all the same length, no missing values).
 * Rows and columns follow the order of `columns`. A constant column gives NaN correlations:
 * callers exclude constant columns first.
 * @example correlationMatrix([[1, 2, 3], [2, 4, 7]])[0][1] // => 0.9933992677987828
 */
export function correlationMatrix(columns: readonly ArrayLike<number>[]): number[][] {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  const centred = columns.map((column) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += column[i]!;
    const mean = sum / n;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = column[i]! - mean;
    return out;
  });
  const norms = centred.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]! * c[i]!;
    return Math.sqrt(s);
  });
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    matrix[a]![a] = 1;
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      const x = centred[a]!;
      const y = centred[b]!;
      for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
      const r = clampCorrelation(s / (norms[a]! * norms[b]!));
      matrix[a]![b] = r;
      matrix[b]![a] = r;
    }
  }
  return matrix;
}

/**
 * A correlation held to [−1, 1]: for (almost) collinear columns rounding can give 1.0000000000000002,
 * which is not a correlation. NaN (a constant column) is left as it is, for callers to catch.
 */
export function clampCorrelation(r: number): number {
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

export interface PairwiseCorrelation {
  matrix: number[][];
  /** Complete pairs behind each entry. */
  pairs: number[][];
}

/**
 * Pairwise-complete correlation matrix: each entry uses the rows where both columns have a
 * value (R's cor(use = "pairwise.complete.obs")). The result need not be positive definite.
 */
export function pairwiseCorrelationMatrix(columns: readonly (readonly (number | null)[])[]): PairwiseCorrelation {
  const k = columns.length;
  const n = columns[0]?.length ?? 0;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const pairs = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const x: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const u = columns[a]![i];
        const v = columns[b]![i];
        if (u !== null && u !== undefined && v !== null && v !== undefined) {
          x.push(u);
          y.push(v);
        }
      }
      const r = a === b ? 1 : correlationMatrix([x, y])[0]![1]!;
      matrix[a]![b] = matrix[b]![a] = r;
      pairs[a]![b] = pairs[b]![a] = x.length;
    }
  }
  return { matrix, pairs };
}

/**
 * pairwiseCorrelationMatrix's matrix of columns (NaN where missing) whose row i is counted
 * weights[i] times (a bootstrap resample's counts), without repeating the rows: each entry's
 * two-pass sums weighted by the counts, over the rows where both columns have a value. The
 * repeated rows' matrix to rounding (w·x where x was added w times); NaN where a column is
 * constant over the pair's rows or no row has both.
 */
export function weightedPairwiseCorrelationMatrix(columns: readonly Float64Array[], weights: ArrayLike<number>): number[][] {
  const k = columns.length;
  const n = weights.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    matrix[a]![a] = 1;
    const x = columns[a]!;
    for (let b = a + 1; b < k; b++) {
      const y = columns[b]!;
      let total = 0;
      let sumX = 0;
      let sumY = 0;
      for (let i = 0; i < n; i++) {
        const w = weights[i]!;
        const u = x[i]!;
        const v = y[i]!;
        if (w === 0 || u !== u || v !== v) continue;
        total += w;
        sumX += w * u;
        sumY += w * v;
      }
      const meanX = sumX / total;
      const meanY = sumY / total;
      let xx = 0;
      let yy = 0;
      let xy = 0;
      for (let i = 0; i < n; i++) {
        const w = weights[i]!;
        const u = x[i]!;
        const v = y[i]!;
        if (w === 0 || u !== u || v !== v) continue;
        const du = u - meanX;
        const dv = v - meanY;
        xx += w * du * du;
        yy += w * dv * dv;
        xy += w * du * dv;
      }
      matrix[a]![b] = matrix[b]![a] = clampCorrelation(xy / (Math.sqrt(xx) * Math.sqrt(yy)));
    }
  }
  return matrix;
}

/** Ranks from 1, ties sharing their average rank (R's rank(ties.method = "average")). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!] = rank;
    start = end + 1;
  }
  return ranks;
}

export interface CorrelationTest {
  /** The correlation; null when a variable is constant. */
  r: number | null;
  /** Two-sided p from t = r·sqrt((n − 2)/(1 − r²)) on n − 2 df; null when undefined. */
  p: number | null;
  n: number;
}

function tTest(r: number | null, n: number): CorrelationTest {
  if (r === null || n < 3) return { r, p: null, n };
  if (Math.abs(r) >= 1) return { r, p: 0, n };
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { r, p: studentTTwoSidedP(t, n - 2), n };
}

/**
 * Pearson's r with its t-test (R's cor.test(x, y)).
 * @example pearson([1, 2, 3, 4], [2, 4, 5, 9]).r // => 0.9621404708317567
 */
export function pearson(x: readonly number[], y: readonly number[]): CorrelationTest {
  if (x.length !== y.length) throw new RangeError("pearson needs two columns of the same length");
  const constant = (v: readonly number[]) => v.every((value) => value === v[0]);
  if (x.length < 2 || constant(x) || constant(y)) return { r: null, p: null, n: x.length };
  return tTest(correlationMatrix([x, y])[0]![1]!, x.length);
}

/**
 * Spearman's ρ (Pearson's r of the average ranks) with the t approximation on n − 2 df (not the
 * exact permutation p of R's cor.test(method = "spearman"), which exists only without ties).
 */
export function spearman(x: readonly number[], y: readonly number[]): CorrelationTest {
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * The Fisher-z confidence interval of a correlation: tanh(atanh(r) ± z·/√(n − 3)), z = Φ⁻¹((1 + level)/2),
 * as R's cor.test reports for Pearson's r. null for n < 4 or |r| = 1 undefined.
 * @example fisherInterval(0.5, 28) // ≈ [0.1574, 0.7362]
 */
export function fisherInterval(r: number | null, n: number, level = 0.95): [number, number] | null {
  if (r === null || n < 4) return null;
  if (Math.abs(r) >= 1) return [r, r];
  const z = Math.atanh(r);
  const half = normalQuantile((1 + level) / 2) / Math.sqrt(n - 3);
  return [Math.tanh(z - half), Math.tanh(z + half)];
}
