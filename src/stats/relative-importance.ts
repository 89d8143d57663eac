/**
 * Relative importance of predictors in a linear regression, all computed from the correlation
 * matrix of the predictors and the outcome (no refitting): LMG (the Shapley value of R², by all
 * subsets), Johnson's relative weights, first, last and Pratt. Definitions: shared/METHODS.md b3;
 * checked against R's relaimpo in test/reference.
 *
 * Every subset's R² comes from sweeping the correlation matrix in Gray-code order: each step
 * adds or removes one predictor with one O(p²) sweep, so 15 predictors (32,767 subsets) cost
 * about 8 million multiply-adds, not 32,767 separate fits.
 */
import { Matrix } from "ml-matrix";
import type { Random } from "./random.js";

export interface RelativeImportance {
  /** R² of the full model. */
  rSquared: number;
  /** Shapley value of R² per predictor; sums to R². */
  lmg: number[];
  /** Johnson's relative weights (relaimpo's genizi); sum to R². */
  relativeWeights: number[];
  /** R² of the predictor alone: its squared correlation with the outcome. */
  first: number[];
  /** R² lost when the predictor is dropped from the full model (squared semipartial correlation). */
  last: number[];
  /** Standardised coefficient × correlation with the outcome; sums to R²; can be negative. */
  pratt: number[];
  /** Standardised coefficients β* = R_xx⁻¹ r_xy. */
  standardisedCoefficients: number[];
  /** Correlation of each predictor with the outcome. */
  correlations: number[];
}

/** Hard limit of `allSubsetRSquared` (2^24 subsets, 128 MB); callers switch to Monte Carlo well before. */
export const MAX_EXACT_PREDICTORS = 24;

/** Sweeps pivot k of the symmetric m×m matrix a (flat, row-major); `reverse` undoes an earlier sweep. */
function sweep(a: Float64Array, m: number, k: number, reverse: boolean): void {
  const d = a[k * m + k]!;
  const sign = reverse ? -1 : 1;
  for (let i = 0; i < m; i++) {
    if (i === k) continue;
    const aik = a[i * m + k]!;
    if (aik === 0) continue;
    const factor = aik / d;
    const row = i * m;
    for (let j = 0; j < m; j++) {
      if (j === k) continue;
      a[row + j]! -= factor * a[k * m + j]!;
    }
  }
  for (let i = 0; i < m; i++) {
    if (i === k) continue;
    a[i * m + k] = (sign * a[i * m + k]!) / d;
    a[k * m + i] = (sign * a[k * m + i]!) / d;
  }
  a[k * m + k] = -1 / d;
}

function flatten(matrix: readonly (readonly number[])[]): Float64Array {
  const m = matrix.length;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = matrix[i]![j]!;
  return a;
}

/**
 * R² of every subset of the predictors. `correlation` is the (p+1)×(p+1) correlation matrix with
 * the outcome last; the result has 2^p entries, indexed by the subset's bit mask (bit j = predictor j).
 * @throws {RangeError} above MAX_EXACT_PREDICTORS predictors
 */
export function allSubsetRSquared(correlation: readonly (readonly number[])[]): Float64Array {
  const m = correlation.length;
  const p = m - 1;
  if (p > MAX_EXACT_PREDICTORS) throw new RangeError(`exact subsets need at most ${MAX_EXACT_PREDICTORS} predictors, got ${p}`);
  const a = flatten(correlation);
  const yy = p * m + p;
  const result = new Float64Array(2 ** p);
  let mask = 0;
  const refresh = 4096;
  for (let step = 1; step < 2 ** p; step++) {
    const bit = 31 - Math.clz32(step & -step);
    const adding = (mask & (1 << bit)) === 0;
    mask ^= 1 << bit;
    sweep(a, m, bit, !adding);
    result[mask] = 1 - a[yy]!;
    // sweeping in and out accumulates rounding; restart from the exact subset now and then
    if (step % refresh === 0) {
      a.set(flatten(correlation));
      for (let j = 0; j < p; j++) if (mask & (1 << j)) sweep(a, m, j, false);
    }
  }
  return result;
}

/** Shapley weights |S|!(p−|S|−1)!/p! by subset size. */
function shapleyWeights(p: number): number[] {
  const factorial = [1];
  for (let i = 1; i <= p; i++) factorial.push(factorial[i - 1]! * i);
  return Array.from({ length: p }, (_, size) => (factorial[size]! * factorial[p - size - 1]!) / factorial[p]!);
}

function popcount(x: number): number {
  let count = 0;
  while (x) {
    x &= x - 1;
    count++;
  }
  return count;
}

/** LMG from all-subset R²: Σ over S ∌ j of w(|S|)·[R²(S ∪ {j}) − R²(S)]. */
export function lmgFromSubsets(subsetRSquared: Float64Array, p: number): number[] {
  const weights = shapleyWeights(p);
  const lmg = new Array<number>(p).fill(0);
  for (let mask = 0; mask < 2 ** p; mask++) {
    const weight = weights[popcount(mask)];
    for (let j = 0; j < p; j++) {
      if (mask & (1 << j)) continue;
      lmg[j]! += weight! * (subsetRSquared[mask | (1 << j)]! - subsetRSquared[mask]!);
    }
  }
  return lmg;
}

/**
 * The eigenvalues and eigenvectors of a symmetric p×p matrix (flat, row-major; overwritten), by
 * cyclic Jacobi rotations: `vectors` holds them as columns (flat, row-major). Jacobi's method is
 * accurate to rounding for symmetric matrices and, at the few predictors of a driver model, takes
 * microseconds without a matrix object made (the bootstrap calls it twice a resample).
 */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweepCount = 0; sweepCount < 100; sweepCount++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += Math.abs(a[i * p + j]!);
    if (off === 0) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (aij === 0) continue;
        const aii = a[i * p + i]!;
        const ajj = a[j * p + j]!;
        // an off-diagonal entry below the rounding of both diagonal ones is zero (Numerical Recipes' jacobi)
        if (sweepCount > 3 && Math.abs(aii) + 100 * Math.abs(aij) === Math.abs(aii) && Math.abs(ajj) + 100 * Math.abs(aij) === Math.abs(ajj)) {
          a[i * p + j] = a[j * p + i] = 0;
          continue;
        }
        const theta = (ajj - aii) / (2 * aij);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i]!;
          const akj = a[k * p + j]!;
          a[k * p + i] = c * aki - s * akj;
          a[k * p + j] = s * aki + c * akj;
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k]!;
          const ajk = a[j * p + k]!;
          a[i * p + k] = c * aik - s * ajk;
          a[j * p + k] = s * aik + c * ajk;
        }
        a[i * p + j] = a[j * p + i] = 0;
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]!;
          const vkj = v[k * p + j]!;
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = a[i * p + i]!;
  return { values, vectors: v };
}

/**
 * Johnson's relative weights: with R_xx = VΛVᵀ and L = VΛ^½Vᵀ, β_z = L⁻¹r_xy and
 * ε_j = Σ_k L_jk² β_z,k² (Johnson 2000; relaimpo's genizi).
 */
export function johnsonRelativeWeights(correlation: readonly (readonly number[])[]): number[] {
  const p = correlation.length - 1;
  const rxx = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) rxx[i * p + j] = correlation[i]![j]!;
  const { values, vectors } = symmetricEigen(rxx, p);
  // L = V Λ^½ Vᵀ and L⁻¹ = V Λ^-½ Vᵀ (a negative eigenvalue of rounding counts as 0)
  const root = new Float64Array(p);
  const inverseRoot = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const value = Math.max(values[i]!, 0);
    root[i] = Math.sqrt(value);
    inverseRoot[i] = value === 0 ? 0 : 1 / Math.sqrt(value);
  }
  const lambda = new Float64Array(p * p);
  const betaZ = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) {
      let l = 0;
      let inverse = 0;
      for (let i = 0; i < p; i++) {
        const product = vectors[j * p + i]! * vectors[k * p + i]!;
        l += product * root[i]!;
        inverse += product * inverseRoot[i]!;
      }
      lambda[j * p + k] = l;
      betaZ[j]! += inverse * correlation[k]![p]!;
    }
  }
  return Array.from({ length: p }, (_, j) => {
    let sum = 0;
    for (let k = 0; k < p; k++) sum += lambda[j * p + k]! ** 2 * betaZ[k]! ** 2;
    return sum;
  });
}

/** LMG and Johnson's relative weights only (what a bootstrap resample needs of relativeImportance: the same values). */
export function lmgAndRelativeWeights(correlation: readonly (readonly number[])[]): Pick<RelativeImportance, "lmg" | "relativeWeights"> {
  return { lmg: lmgFromSubsets(allSubsetRSquared(correlation), correlation.length - 1), relativeWeights: johnsonRelativeWeights(correlation) };
}

/**
 * Every relative-importance measure from the correlation matrix of the predictors and the
 * outcome (outcome last). The predictors must not be constant or collinear.
 * @example relativeImportance(correlationMatrix([x1, x2, y])).lmg // two values summing to R²
 */
export function relativeImportance(correlation: readonly (readonly number[])[]): RelativeImportance {
  const p = correlation.length - 1;
  const subsets = allSubsetRSquared(correlation);
  const full = 2 ** p - 1;
  const rxy = correlation.slice(0, p).map((row) => row[p]!);
  const rxx = new Matrix(correlation.slice(0, p).map((row) => row.slice(0, p)));
  const standardised = solveSymmetric(rxx, rxy);
  return {
    rSquared: subsets[full]!,
    lmg: lmgFromSubsets(subsets, p),
    relativeWeights: johnsonRelativeWeights(correlation),
    first: rxy.map((r) => r * r),
    last: Array.from({ length: p }, (_, j) => subsets[full]! - subsets[full & ~(1 << j)]!),
    pratt: standardised.map((b, j) => b * rxy[j]!),
    standardisedCoefficients: standardised,
    correlations: rxy,
  };
}

function solveSymmetric(a: Matrix, b: number[]): number[] {
  const flat = new Float64Array(a.rows * a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.rows; j++) flat[i * a.rows + j] = a.get(i, j);
  // sweeping every pivot inverts the matrix in place
  for (let k = 0; k < a.rows; k++) sweep(flat, a.rows, k, false);
  return Array.from({ length: a.rows }, (_, i) => {
    let sum = 0;
    for (let j = 0; j < a.rows; j++) sum -= flat[i * a.rows + j]! * b[j]!;
    return sum;
  });
}

export interface MonteCarloShapley {
  values: number[];
  /** Monte-Carlo standard error of each value. */
  stdErrors: number[];
  permutations: number;
}

/**
 * Shapley values estimated from random orderings of p players: for each ordering,
 * `cumulative(order)` gives the value after each player joins, and each player is credited with
 * its increment. The estimate is the mean increment, with its Monte-Carlo standard error.
 */
export function shapleyFromOrderings(
  p: number,
  permutations: number,
  random: Random,
  cumulative: (order: readonly number[]) => ArrayLike<number>,
): MonteCarloShapley {
  const sums = new Float64Array(p);
  const squares = new Float64Array(p);
  const order = Array.from({ length: p }, (_, j) => j);
  for (let run = 0; run < permutations; run++) {
    for (let i = p - 1; i > 0; i--) {
      const j = random.integer(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const values = cumulative(order);
    let previous = 0;
    order.forEach((j, position) => {
      const increment = values[position]! - previous;
      sums[j]! += increment;
      squares[j]! += increment * increment;
      previous = values[position]!;
    });
  }
  const values = Array.from(sums, (s) => s / permutations);
  const stdErrors = values.map((mean, j) => Math.sqrt(Math.max(0, squares[j]! / permutations - mean * mean) / Math.max(1, permutations - 1)));
  return { values, stdErrors, permutations };
}

/**
 * Shapley value of R² estimated from random orderings of the predictors (for more predictors
 * than exact subsets allow). Each ordering adds predictors one at a time by sweeping.
 */
export function monteCarloShapley(correlation: readonly (readonly number[])[], permutations: number, random: Random): MonteCarloShapley {
  const m = correlation.length;
  const p = m - 1;
  const base = flatten(correlation);
  return shapleyFromOrderings(p, permutations, random, (order) => {
    const a = Float64Array.from(base);
    return order.map((j) => {
      sweep(a, m, j, false);
      return 1 - a[p * m + p]!;
    });
  });
}
