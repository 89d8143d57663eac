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
  /**
   * Frequency weights: row i stands for weights[i] identical observations (the distinct rows of
   * many, folded: stats/bootstrap.ts foldColumns). The fit is that of the rows repeated: n is the
   * weights' sum, and every sum over rows is a sum over the distinct rows times their weight, so
   * a QR of k distinct rows (each scaled by √w) replaces one of n. Absent: every weight 1 (the
   * same bits: each product with a weight of 1 is exact).
   */
  weights?: ArrayLike<number>;
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

/** Σ w, or the count without weights. */
function totalWeight(n: number, weights: ArrayLike<number> | undefined): number {
  if (!weights) return n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  return sum;
}

function mean(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let sum = 0;
  if (weights) for (let i = 0; i < values.length; i++) sum += weights[i]! * values[i]!;
  else for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / totalWeight(values.length, weights);
}

function centred(values: ArrayLike<number>, weights?: ArrayLike<number>): Float64Array {
  const m = mean(values, weights);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - m;
  return out;
}

/** Σ w·a·b (Σ a·b without weights). */
function dot(a: Float64Array, b: Float64Array, weights?: ArrayLike<number>): number {
  let sum = 0;
  if (weights) for (let i = 0; i < a.length; i++) sum += weights[i]! * a[i]! * b[i]!;
  else for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Which predictors are aliased: constant, or a linear combination of the intercept and the
 * predictors before them (modified Gram-Schmidt on the centred columns, in the given order,
 * as R's lm() reports NA for the later of two collinear terms). With frequency `weights` (see
 * OlsOptions), the rows repeated: the inner products are weighted.
 * @example aliasedColumns([[1, 2, 3], [2, 4, 6]]) // => [{ index: 1, constant: false }]
 */
export function aliasedColumns(columns: ArrayLike<number>[], weights?: ArrayLike<number>): AliasedColumn[] {
  const basis: Float64Array[] = [];
  const aliased: AliasedColumn[] = [];
  columns.forEach((column, index) => {
    const v = centred(column, weights);
    const originalNorm = Math.sqrt(dot(v, v, weights));
    // a loop, not Math.max(...column): spreading a column of 100,000s of values overflows the stack
    let scale = 1;
    for (let i = 0; i < column.length; i++) scale = Math.max(scale, Math.abs(column[i]!));
    if (originalNorm <= 1e-12 * scale * Math.sqrt(totalWeight(v.length, weights))) {
      aliased.push({ index, constant: true });
      return;
    }
    for (const q of basis) {
      const projection = dot(v, q, weights);
      for (let i = 0; i < v.length; i++) v[i]! -= projection * q[i]!;
    }
    const remaining = Math.sqrt(dot(v, v, weights));
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

function sampleStandardDeviation(values: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const v = centred(values, weights);
  return Math.sqrt(dot(v, v, weights) / (totalWeight(values.length, weights) - 1));
}

/**
 * Variance inflation factors: the diagonal of the inverse of the predictors' correlation
 * matrix (car::vif for a model without factors). 1 for a single predictor. With frequency
 * `weights` (see OlsOptions), the correlations of the rows repeated.
 */
export function varianceInflationFactors(predictors: ArrayLike<number>[], weights?: ArrayLike<number>): number[] {
  const p = predictors.length;
  if (p === 1) return [1];
  const standardised = predictors.map((column) => {
    const v = centred(column, weights);
    const norm = Math.sqrt(dot(v, v, weights));
    // (a loop: Float64Array.map calls a function per value)
    for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
    return v;
  });
  const correlation = new Matrix(p, p);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      const r = i === j ? 1 : dot(standardised[i]!, standardised[j]!, weights);
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
  const { weights } = options;
  // rows: the distinct rows given; n: the observations they stand for
  const rows = y.length;
  const p = predictors.length;
  const k = p + 1;
  for (const column of predictors) {
    if (column.length !== rows) throw new RangeError(`every predictor must have ${rows} values, got ${column.length}`);
  }
  if (weights) {
    if (weights.length !== rows) throw new RangeError(`the weights must have ${rows} values, got ${weights.length}`);
    for (let i = 0; i < rows; i++) if (!(weights[i]! > 0)) throw new RangeError(`every weight must be positive, got ${weights[i]} at ${i}`);
  }
  const n = totalWeight(rows, weights);
  if (n <= k) throw new DataError(`regression needs more observations (${n}) than parameters (${k})`);
  const centredY = centred(y, weights);
  const totalSumOfSquares = dot(centredY, centredY, weights);
  if (totalSumOfSquares === 0) throw new DataError("the outcome is constant: there is no variation to explain");
  const aliased = options.unaliased ? [] : aliasedColumns(predictors, weights);
  if (aliased.length > 0) {
    throw new DataError(
      `predictors ${aliased.map((a) => a.index + 1).join(", ")} are constant or linearly dependent on the others`,
    );
  }

  // the design matrix in one column-major array (intercept first), factorised in place; with
  // weights, each row times √w (and y's): the least squares of the rows repeated
  const root = weights ? Float64Array.from({ length: rows }, (_, i) => Math.sqrt(weights[i]!)) : null;
  const design = new Float64Array(rows * k);
  if (root) design.set(root, 0);
  else design.fill(1, 0, rows);
  for (let j = 0; j < p; j++) {
    const column = predictors[j]!;
    if (root) for (let i = 0; i < rows; i++) design[(j + 1) * rows + i] = root[i]! * column[i]!;
    else for (let i = 0; i < rows; i++) design[(j + 1) * rows + i] = column[i]!;
  }
  const qr = householderQr(design, rows, k);
  const beta = qrSolve(qr, root ? Float64Array.from({ length: rows }, (_, i) => root[i]! * y[i]!) : y);

  let residualSumOfSquares = 0;
  for (let i = 0; i < rows; i++) {
    let fitted = beta[0]!;
    for (let j = 0; j < p; j++) fitted += beta[j + 1]! * predictors[j]![i]!;
    const residual = y[i]! - fitted;
    residualSumOfSquares += (weights ? weights[i]! : 1) * residual * residual;
  }
  const dfResidual = n - k;
  const perfectFit = residualSumOfSquares <= 1e-20 * totalSumOfSquares;
  const sigma2 = perfectFit ? 0 : residualSumOfSquares / dfResidual;
  const rSquared = perfectFit ? 1 : Math.min(1, Math.max(0, 1 - residualSumOfSquares / totalSumOfSquares));
  const adjRSquared = 1 - ((1 - rSquared) * (n - 1)) / dfResidual;

  // Cov(β) = σ² (XᵀX)⁻¹ = σ² R⁻¹R⁻ᵀ
  const rInverse = invertUpperTriangular(new Matrix(upperTriangular(qr)));
  const tCritical = studentTQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2, dfResidual);
  const sdY = sampleStandardDeviation(y, weights);
  const terms: OlsTerm[] = beta.map((estimate, j) => {
    let diagonal = 0;
    for (let c = j; c < k; c++) diagonal += rInverse.get(j, c) ** 2;
    const stdBeta = j === 0 ? null : (estimate * sampleStandardDeviation(predictors[j - 1]!, weights)) / sdY;
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
    vif: varianceInflationFactors(predictors, weights),
    perfectFit,
  };
}
