/**
 * Logistic regression of a 0/1 outcome with an intercept, by iteratively reweighted least
 * squares, with Wald inference (R's summary(glm(..., binomial)) and confint.default()) and
 * McFadden's pseudo-R². Rows can carry frequency weights (the bootstrap's resample counts).
 */
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { DataError } from "../errors.js";
import { chiSquareUpperTailP, normalQuantile, normalTwoSidedP } from "./distributions.js";

/** One coefficient; the inference fields are null when the outcome is separated (the Wald test is undefined). */
export interface LogisticTerm {
  estimate: number;
  stdError: number | null;
  z: number | null;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export interface LogisticFit {
  n: number;
  terms: LogisticTerm[];
  logLikelihood: number;
  nullLogLikelihood: number;
  /** 1 − logL(model)/logL(intercept only). */
  mcFaddenRSquared: number;
  lrChiSquare: number;
  lrDf: number;
  lrP: number;
  iterations: number;
  /** The outcome is (almost) perfectly separated by the predictors: estimates run off to infinity. */
  separated: boolean;
}

const Z_95 = normalQuantile(0.975);

/** Log-likelihood of the intercept-only model: the promoter share for everyone. */
export function nullLogLikelihood(y: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let total = 0;
  let ones = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i]! : 1;
    total += w;
    ones += w * y[i]!;
  }
  const share = ones / total;
  if (share === 0 || share === 1) return 0;
  return ones * Math.log(share) + (total - ones) * Math.log(1 - share);
}

/** Solves the k×k symmetric positive-definite system a·x = b (flat, row-major) by Cholesky; null if not positive definite. */
function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j]!;
      for (let c = 0; c < j; c++) sum -= l[i * k + c]! * l[j * k + c]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j]!;
      }
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = b[i]!;
    for (let c = 0; c < i; c++) sum -= l[i * k + c]! * y[c]!;
    y[i] = sum / l[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let c = i + 1; c < k; c++) sum -= l[c * k + i]! * x[c]!;
    x[i] = sum / l[i * k + i]!;
  }
  return x;
}

/** Rows prepared once for many fits: outcome, frequency weights and a flat design with the intercept in column 0. */
export interface LogisticData {
  n: number;
  y: Float64Array;
  weights: Float64Array;
  /** n × stride, row-major; column 0 is 1, column j + 1 is predictor j. */
  design: Float64Array;
  stride: number;
}

export function prepareLogisticData(y: ArrayLike<number>, predictors: readonly ArrayLike<number>[], weights?: ArrayLike<number>): LogisticData {
  const n = y.length;
  const stride = predictors.length + 1;
  const design = new Float64Array(n * stride);
  for (let i = 0; i < n; i++) {
    design[i * stride] = 1;
    for (let j = 1; j < stride; j++) design[i * stride + j] = predictors[j - 1]![i]!;
  }
  return { n, y: Float64Array.from(y), weights: weights ? Float64Array.from(weights) : new Float64Array(n).fill(1), design, stride };
}

/**
 * IRLS fit of the intercept and the given predictor columns of prepared data, starting from
 * `start` when given (a warm start from a related fit). Returns the coefficients, the
 * log-likelihood and the information matrix at the optimum.
 */
export function fitLogistic(
  data: LogisticData,
  columns: readonly number[],
  start?: readonly number[],
): { beta: number[]; logLikelihood: number; information: Matrix; iterations: number; converged: boolean } {
  const { n, y, weights, design, stride } = data;
  const k = columns.length + 1;
  const index = Int32Array.from([0, ...columns.map((c) => c + 1)]);
  const x = new Float64Array(k);
  let beta: Float64Array = Float64Array.from(start ?? new Array<number>(k).fill(0));
  const xtwx = new Float64Array(k * k);
  const xtwz = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  let logLikelihood = 0;
  // the last accepted point: a Newton step that lowers the log-likelihood (as under separation,
  // where plain Newton runs off) is halved back towards it, as R's glm.fit does
  let previous: Float64Array | null = null;
  let previousLl = -Infinity;
  let halvings = 0;
  // Newton steps until the step is negligible; convergence is quadratic, so after a step below
  // 1e-10 (relative) the coefficients are exact to rounding. The last pass only evaluates.
  for (let final = false; ; iterations++) {
    xtwx.fill(0);
    xtwz.fill(0);
    logLikelihood = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      const row = i * stride;
      let eta = 0;
      for (let j = 0; j < k; j++) {
        x[j] = design[row + index[j]!]!;
        eta += beta[j]! * x[j]!;
      }
      // one exp per row: e = exp(-|η|) gives μ and log(1 + e^η) stably
      const e = Math.exp(-Math.abs(eta));
      const mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
      const yi = y[i]!;
      logLikelihood += w * (yi * eta - (Math.max(eta, 0) + Math.log1p(e)));
      const variance = Math.max(mu * (1 - mu), 1e-300);
      const weight = w * variance;
      const z = eta + (yi - mu) / variance;
      for (let a = 0; a < k; a++) {
        const xa = x[a]! * weight;
        xtwz[a]! += xa * z;
        for (let b = 0; b <= a; b++) xtwx[a * k + b]! += xa * x[b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) xtwx[a * k + b] = xtwx[b * k + a]!;
    // (in the final pass too, which then stays final: at most 40 halvings, then it ends)
    if (previous && !(logLikelihood >= previousLl - 1e-12 * Math.abs(previousLl)) && halvings < 40) {
      halvings++;
      for (let j = 0; j < k; j++) beta[j] = (beta[j]! + previous[j]!) / 2;
      continue;
    }
    if (final) break;
    halvings = 0;
    previous = Float64Array.from(beta);
    previousLl = logLikelihood;
    const next = choleskySolve(xtwx, xtwz, k);
    let step = 0;
    if (next) for (let j = 0; j < k; j++) step = Math.max(step, Math.abs(next[j]! - beta[j]!) / (Math.abs(next[j]!) + 1e-3));
    if (next) beta = next;
    if (!next || step <= 1e-10 || iterations >= 100) {
      converged = next !== null && step <= 1e-10;
      final = true;
    }
  }
  const information = new Matrix(k, k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) information.set(a, b, xtwx[a * k + b]!);
  return { beta: Array.from(beta), logLikelihood, information, iterations, converged };
}

/** Coefficients and log-likelihood of one fit on raw columns (see fitLogistic). */
export function logisticLogLikelihood(y: ArrayLike<number>, predictors: readonly ArrayLike<number>[], weights?: ArrayLike<number>, start?: readonly number[]) {
  return fitLogistic(prepareLogisticData(y, predictors, weights), predictors.map((_, j) => j), start);
}

/**
 * Logistic regression of y (0/1) on the predictors with an intercept.
 * @throws {DataError} when the outcome has one value only, or n is not above the parameters
 * @example logistic([0, 0, 1, 1, 0, 1], [[1, 2, 3, 4, 2, 5]]).terms[1].estimate
 */
export function logistic(y: ArrayLike<number>, predictors: readonly ArrayLike<number>[], weights?: ArrayLike<number>): LogisticFit {
  const n = y.length;
  const k = predictors.length + 1;
  if (n <= k) throw new DataError(`logistic regression needs more observations (${n}) than parameters (${k})`);
  const nullLl = nullLogLikelihood(y, weights);
  if (nullLl === 0) throw new DataError("the outcome has a single value: nobody, or everybody, is a promoter");
  const fit = logisticLogLikelihood(y, predictors, weights);
  const separated = !fit.converged || fit.beta.some((b) => !Number.isFinite(b) || Math.abs(b) > 30);
  const cholesky = new CholeskyDecomposition(fit.information);
  const covariance = cholesky.isPositiveDefinite() ? cholesky.solve(Matrix.eye(k, k)) : null;
  const terms = fit.beta.map((estimate, j): LogisticTerm => {
    const stdError = covariance && !separated ? Math.sqrt(covariance.get(j, j)) : null;
    if (stdError === null || !Number.isFinite(stdError) || stdError === 0) {
      return { estimate, stdError: null, z: null, p: null, ciLow: null, ciHigh: null };
    }
    const z = estimate / stdError;
    return { estimate, stdError, z, p: normalTwoSidedP(z), ciLow: estimate - Z_95 * stdError, ciHigh: estimate + Z_95 * stdError };
  });
  const lrChiSquare = Math.max(0, 2 * (fit.logLikelihood - nullLl));
  return {
    n,
    terms,
    logLikelihood: fit.logLikelihood,
    nullLogLikelihood: nullLl,
    mcFaddenRSquared: 1 - fit.logLikelihood / nullLl,
    lrChiSquare,
    lrDf: predictors.length,
    lrP: chiSquareUpperTailP(lrChiSquare, predictors.length),
    iterations: fit.iterations,
    separated,
  };
}

/**
 * McFadden's R² of every subset of the predictors (2^p fits), indexed by bit mask, with each
 * subset's coefficients. A subset's fit starts from `starts[mask]` when given (the bootstrap passes
 * the full-sample fits), else from its parent's coefficients (the subset without its highest
 * predictor) plus 0.
 */
export function allSubsetMcFadden(
  y: ArrayLike<number>,
  predictors: readonly ArrayLike<number>[],
  weights?: ArrayLike<number>,
  starts?: readonly (number[] | undefined)[],
): { values: Float64Array; betas: number[][] } {
  const p = predictors.length;
  const data = prepareLogisticData(y, predictors, weights);
  const nullLl = nullLogLikelihood(data.y, data.weights);
  const values = new Float64Array(2 ** p);
  const betas: number[][] = new Array(2 ** p);
  let total = 0;
  let ones = 0;
  for (let i = 0; i < data.n; i++) {
    total += data.weights[i]!;
    ones += data.weights[i]! * data.y[i]!;
  }
  // the intercept-only model's coefficient: the log-odds of the outcome
  betas[0] = [Math.log(ones / (total - ones))];
  for (let mask = 1; mask < 2 ** p; mask++) {
    const highest = 31 - Math.clz32(mask);
    const start = starts?.[mask] ?? [...betas[mask & ~(1 << highest)]!, 0];
    const columns: number[] = [];
    for (let j = 0; j < p; j++) if (mask & (1 << j)) columns.push(j);
    const fit = fitLogistic(data, columns, start);
    betas[mask] = fit.beta;
    values[mask] = 1 - fit.logLikelihood / nullLl;
  }
  return { values, betas };
}
