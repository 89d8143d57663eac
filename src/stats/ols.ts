/**
 * Ordinary least squares with an intercept and full classical inference, on ml-matrix's QR
 * decomposition (never the normal equations, which square the condition number).
 *
 * ml-regression's MultivariateLinearRegression is not used: it gives no p-values, R² or F,
 * and fits perfectly collinear predictors without a word (shared/ECOSYSTEM.md section 7).
 * Checked against R's summary(lm()), confint() and car::vif() in test/reference.
 */
import { Matrix, QrDecomposition } from "ml-matrix";
import { DataError } from "../errors.js";
import { fUpperTailP, studentTQuantile, studentTTwoSidedP } from "./distributions.js";
import { householderQr, qrSolve, upperTriangular } from "./qr.js";

/** One coefficient of a fitted model. Inference fields are null where undefined (a perfect fit). */
export interface OlsTerm {
  estimate: number;
  stdError: number | null;
  t: number | null;
  p: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Standardised coefficient b·sd(x)/sd(y); null for the intercept. */
  stdBeta: number | null;
}

export interface OlsFit {
  n: number;
  /** Number of predictors (excluding the intercept). */
  dfModel: number;
  dfResidual: number;
  /** terms[0] is the intercept, terms[j + 1] belongs to predictors[j]. */
  terms: OlsTerm[];
  rSquared: number;
  adjRSquared: number;
  /** Residual standard error. */
  sigma: number;
  f: number | null;
  fP: number | null;
  /** Variance inflation factor per predictor: the diagonal of the inverse predictor correlation matrix. */
  vif: number[];
  /** True when the residuals are zero to rounding: the outcome is an exact linear function of the predictors. */
  perfectFit: boolean;
}

export interface OlsOptions {
  /** Confidence level of the term intervals. Default 0.95. */
  confidence?: number;
  /**
   * The predictors are known to have none aliased: the caller kept those aliasedColumns did not
   * name, in the same order, so asking again (a pass over every column per earlier one) finds none.
   */
  unaliased?: boolean;
}

/** A predictor that cannot be estimated because it adds nothing to the ones before it. */
export interface AliasedColumn {
  index: number;
  /** True when the column has a single value throughout. */
  constant: boolean;
}

/**
 * Relative tolerance below which a column's part not explained by the intercept and the
 * earlier columns counts as zero: R's lm() uses the same 1e-7 in its pivoting QR.
 */
const ALIAS_TOLERANCE = 1e-7;

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function centred(values: ArrayLike<number>): Float64Array {
  const m = mean(values);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - m;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Which predictors are aliased: constant, or a linear combination of the intercept and the
 * predictors before them (modified Gram-Schmidt on the centred columns, in the given order,
 * as R's lm() reports NA for the later of two collinear terms).
 * @example aliasedColumns([[1, 2, 3], [2, 4, 6]]) // => [{ index: 1, constant: false }]
 */
export function aliasedColumns(columns: ArrayLike<number>[]): AliasedColumn[] {
  const basis: Float64Array[] = [];
  const aliased: AliasedColumn[] = [];
  columns.forEach((column, index) => {
    const v = centred(column);
    const originalNorm = Math.sqrt(dot(v, v));
    // a loop, not Math.max(...column): spreading a column of 100,000s of values overflows the stack
    let scale = 1;
    for (let i = 0; i < column.length; i++) scale = Math.max(scale, Math.abs(column[i]!));
    if (originalNorm <= 1e-12 * scale * Math.sqrt(v.length)) {
      aliased.push({ index, constant: true });
      return;
    }
    for (const q of basis) {
      const projection = dot(v, q);
      for (let i = 0; i < v.length; i++) v[i]! -= projection * q[i]!;
    }
    const remaining = Math.sqrt(dot(v, v));
    if (remaining < ALIAS_TOLERANCE * originalNorm) {
      aliased.push({ index, constant: false });
      return;
    }
    for (let i = 0; i < v.length; i++) v[i]! /= remaining;
    basis.push(v);
  });
  return aliased;
}

/** Inverse of an upper-triangular matrix by back substitution. */
function invertUpperTriangular(r: Matrix): Matrix {
  const k = r.rows;
  const inverse = Matrix.zeros(k, k);
  for (let col = 0; col < k; col++) {
    for (let row = col; row >= 0; row--) {
      let sum = row === col ? 1 : 0;
      for (let j = row + 1; j <= col; j++) sum -= r.get(row, j) * inverse.get(j, col);
      inverse.set(row, col, sum / r.get(row, row));
    }
  }
  return inverse;
}

function sampleStandardDeviation(values: ArrayLike<number>): number {
  const v = centred(values);
  return Math.sqrt(dot(v, v) / (values.length - 1));
}

/**
 * Variance inflation factors: the diagonal of the inverse of the predictors' correlation
 * matrix (car::vif for a model without factors). 1 for a single predictor.
 */
export function varianceInflationFactors(predictors: ArrayLike<number>[]): number[] {
  const p = predictors.length;
  if (p === 1) return [1];
  const standardised = predictors.map((column) => {
    const v = centred(column);
    const norm = Math.sqrt(dot(v, v));
    return v.map((value) => value / norm);
  });
  const correlation = new Matrix(p, p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const r = i === j ? 1 : dot(standardised[i]!, standardised[j]!);
      correlation.set(i, j, r);
      correlation.set(j, i, r);
    }
  }
  const solved = new QrDecomposition(correlation).solve(Matrix.eye(p, p));
  return Array.from({ length: p }, (_, i) => solved.get(i, i));
}

/**
 * Ordinary least squares of y on the predictors with an intercept.
 *
 * @param y outcome, one value per observation (complete cases only)
 * @param predictors one array per predictor, each as long as y
 * @throws {DataError} if n <= number of parameters, the outcome is constant, or a predictor is aliased
 * @example ols([4, 4, 6, 10], [[1, 2, 3, 4]]).terms[1].estimate // => 2
 */
export function ols(y: ArrayLike<number>, predictors: ArrayLike<number>[], options: OlsOptions = {}): OlsFit {
  const n = y.length;
  const p = predictors.length;
  const k = p + 1;
  for (const column of predictors) {
    if (column.length !== n) throw new RangeError(`every predictor must have ${n} values, got ${column.length}`);
  }
  if (n <= k) throw new DataError(`regression needs more observations (${n}) than parameters (${k})`);
  const centredY = centred(y);
  const totalSumOfSquares = dot(centredY, centredY);
  if (totalSumOfSquares === 0) throw new DataError("the outcome is constant: there is no variation to explain");
  const aliased = options.unaliased ? [] : aliasedColumns(predictors);
  if (aliased.length > 0) {
    throw new DataError(
      `predictors ${aliased.map((a) => a.index + 1).join(", ")} are constant or linearly dependent on the others`,
    );
  }

  // the design matrix in one column-major array (intercept first), factorised in place
  const design = new Float64Array(n * k);
  design.fill(1, 0, n);
  for (let j = 0; j < p; j++) {
    const column = predictors[j]!;
    for (let i = 0; i < n; i++) design[(j + 1) * n + i] = column[i]!;
  }
  const qr = householderQr(design, n, k);
  const beta = qrSolve(qr, y);

  let residualSumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    let fitted = beta[0]!;
    for (let j = 0; j < p; j++) fitted += beta[j + 1]! * predictors[j]![i]!;
    const residual = y[i]! - fitted;
    residualSumOfSquares += residual * residual;
  }
  const dfResidual = n - k;
  const perfectFit = residualSumOfSquares <= 1e-20 * totalSumOfSquares;
  const sigma2 = perfectFit ? 0 : residualSumOfSquares / dfResidual;
  const rSquared = perfectFit ? 1 : Math.min(1, Math.max(0, 1 - residualSumOfSquares / totalSumOfSquares));
  const adjRSquared = 1 - ((1 - rSquared) * (n - 1)) / dfResidual;

  // Cov(β) = σ² (XᵀX)⁻¹ = σ² R⁻¹R⁻ᵀ
  const rInverse = invertUpperTriangular(new Matrix(upperTriangular(qr)));
  const tCritical = studentTQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2, dfResidual);
  const sdY = sampleStandardDeviation(y);
  const terms: OlsTerm[] = beta.map((estimate, j) => {
    let diagonal = 0;
    for (let c = j; c < k; c++) diagonal += rInverse.get(j, c) ** 2;
    const stdBeta = j === 0 ? null : (estimate * sampleStandardDeviation(predictors[j - 1]!)) / sdY;
    if (perfectFit) return { estimate, stdError: null, t: null, p: null, ciLow: null, ciHigh: null, stdBeta };
    const stdError = Math.sqrt(sigma2 * diagonal);
    const t = estimate / stdError;
    return {
      estimate,
      stdError,
      t,
      p: studentTTwoSidedP(t, dfResidual),
      ciLow: estimate - tCritical * stdError,
      ciHigh: estimate + tCritical * stdError,
      stdBeta,
    };
  });

  const f = perfectFit ? null : rSquared / p / ((1 - rSquared) / dfResidual);
  return {
    n,
    dfModel: p,
    dfResidual,
    terms,
    rSquared,
    adjRSquared,
    sigma: Math.sqrt(sigma2),
    f,
    fP: f === null ? null : fUpperTailP(f, p, dfResidual),
    vif: varianceInflationFactors(predictors),
    perfectFit,
  };
}
