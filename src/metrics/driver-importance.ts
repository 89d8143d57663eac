/**
 * Key-driver importance: how much of the explained variation in the outcome each driver
 * carries, with honest uncertainty, and what to do about it (the importance-performance
 * quadrant). shared/DESIGN.md section 3 ("Relative importance"), shared/METHODS.md b3 and b4.
 *
 * - LMG (Shapley value of R²) exact by all subsets up to `exactLimit` drivers, else a seeded
 *   Monte-Carlo estimate with its standard error; Johnson's relative weights; first, last, Pratt.
 * - Seeded bootstrap of whole rows: percentile intervals for each share and rank.
 * - Significance against an added random variable (Tonidandel, LeBreton & Johnson 2009, as the
 *   R package rwa does since its PR #28): a driver is significant when the bootstrap interval of
 *   (its relative weight − the random variable's) lies above 0. Raw-weight intervals never
 *   contain 0, so they cannot serve.
 * - Sign from the full-model coefficient, with a warning where it contradicts the correlation.
 */
import { mean, median } from "simple-statistics";
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { DataError } from "../errors.js";
import { comparisonNoise, foldColumns, foldedResample, patternCounts, foldedResampleCorrelations, resamplingKind, withExtra, type ResamplingKind, percentileInterval, resampleCounts, weightedCorrelationMatrix, type FoldedRows } from "../stats/bootstrap.js";
import { correlationMatrix, pairwiseCorrelationMatrix, weightedPairwiseCorrelationMatrix } from "../stats/correlation.js";
import { allSubsetMcFadden, fitLogistic, nullLogLikelihood, prepareLogisticData } from "../stats/logistic.js";
import { createRandom, type Random } from "../stats/random.js";
import { johnsonRelativeWeights, lmgAndRelativeWeights, lmgFromSubsets, monteCarloShapley, relativeImportance, shapleyFromOrderings } from "../stats/relative-importance.js";

export type QuadrantCut = "median" | "mean";
export type MissingPolicy = "listwise" | "pairwise";
export type Quadrant = "fix first" | "keep strong" | "maintain" | "lower priority";

export interface ScaleBounds {
  min: number;
  max: number;
}

export interface ImportanceOptions {
  /** Bootstrap resamples; 0 for none. Default 1000. */
  bootstrap?: number;
  seed?: number;
  quadrantCut?: QuadrantCut;
  missing?: MissingPolicy;
  /** Exact LMG up to this many drivers, Monte Carlo above. Default 20. */
  exactLimit?: number;
  /** Orderings for the Monte-Carlo LMG. Default 5000. */
  permutations?: number;
  /** Declared scale of the driver ratings; detected per driver when absent. */
  scale?: ScaleBounds;
  /** "logistic" for a 0/1 outcome: LMG of McFadden's R²; relative weights and Pratt are linear-only. Default "linear". */
  model?: "linear" | "logistic";
  /** Told how many bootstrap resamples are done, now and then (for a progress bar). */
  onResample?: ((done: number, total: number) => void) | undefined;
}

export interface DriverImportance {
  driver: string;
  lmg: number;
  lmgShare: number;
  /** Monte-Carlo standard error of lmg; null when exact. */
  lmgStdError: number | null;
  /** Linear model only (null for the logistic model, for which they are not defined). */
  relativeWeight: number | null;
  relativeWeightShare: number | null;
  first: number;
  firstShare: number;
  last: number;
  lastShare: number;
  pratt: number | null;
  prattShare: number | null;
  /** 1 = most important (by LMG share). */
  rank: number;
  /** Sign of the full-model coefficient. */
  sign: 1 | -1;
  /** The coefficient's sign differs from the sign of the driver's correlation with the outcome. */
  signConflict: boolean;
  correlation: number;
  mean: number;
  scaleMin: number;
  scaleMax: number;
  /** Mean rescaled to 0-100 on the scale bounds. */
  performance: number;
  quadrant: Quadrant;
  lmgShareCiLow: number | null;
  lmgShareCiHigh: number | null;
  relativeWeightShareCiLow: number | null;
  relativeWeightShareCiHigh: number | null;
  rankCiLow: number | null;
  rankCiHigh: number | null;
  /** Interval of (relative weight − the random variable's relative weight). */
  vsRandomCiLow: number | null;
  vsRandomCiHigh: number | null;
  /** null without a bootstrap. */
  significant: boolean | null;
}

export interface ImportanceResult {
  model: "linear" | "logistic";
  n: number;
  rSquared: number;
  method: "exact" | "monte-carlo";
  permutations: number | null;
  missing: MissingPolicy;
  /** `dropped`: resamples left out of the intervals (a constant or collinear driver in the resample), per measure. */
  bootstrap: { resamples: number; seed: number; resampling: ResamplingKind; interval: "percentile"; confidence: number; dropped: { importance: number; vsRandom: number } } | null;
  quadrantCut: QuadrantCut;
  /** Where the quadrant splits: the median (or mean) LMG share and performance. */
  quadrantCuts: { importance: number; performance: number };
  /** sqrt(λmax/λmin) of the drivers' correlation matrix. */
  conditionNumber: number;
  importance: DriverImportance[];
  warnings: { code: string; message: string }[];
}

const STANDARD_SCALE_MAXIMA = [5, 7, 10, 100];

/** A column of values, one per response: null where missing, or a Float64Array with NaN where missing (the driver tasks' shared columns). */
export type Values = readonly (number | null)[] | Float64Array;

/** The values as a Float64Array, NaN where missing (a Float64Array as it is). */
export function asColumn(values: Values): Float64Array {
  if (values instanceof Float64Array) return values;
  const column = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) column[i] = values[i] ?? NaN;
  return column;
}

/** The rows from 0 to n − 1 for which `test` holds, in order. */
export function rowsWhere(n: number, test: (row: number) => boolean): Int32Array {
  // one pass (the test is a loop over the drivers' columns): into room for every row, then the rows kept, copied when fewer
  const rows = new Int32Array(n);
  let count = 0;
  for (let row = 0; row < n; row++) if (test(row)) rows[count++] = row;
  return count === n ? rows : rows.slice(0, count);
}

/**
 * The rows (of n) where every column has a value (`every`), or at least one has (not NaN): rowsWhere
 * for the commonest tests, a column at a time (a test called per row, looping over the columns, took
 * 26 ms of the medium survey's overall plan).
 */
export function rowsWithValues(columns: readonly Float64Array[], n: number, every: boolean): Int32Array {
  const kept = rowsWithValuesMarked(columns, n, every);
  return rowsWhere(n, (row) => kept[row] === 1);
}

/** rowsWithValues as a mark per row: 1 for a row it keeps, 0 for one it leaves out. */
export function rowsWithValuesMarked(columns: readonly Float64Array[], n: number, every: boolean): Uint8Array {
  // every: a row is kept until a column has no value there; else left out until one has
  const kept = new Uint8Array(n).fill(every ? 1 : 0);
  for (const column of columns) for (let row = 0; row < n; row++) if ((column[row] === column[row]) !== every) kept[row] = every ? 0 : 1;
  return kept;
}

/** values[rows[0]], values[rows[1]], … */
export function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** Scale bounds of a rating column: minimum 0 or 1, maximum the smallest of 5, 7, 10, 100 that fits. */
export function detectScale(values: Values): ScaleBounds {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null || Number.isNaN(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min: min >= 1 ? 1 : Math.min(0, min), max: STANDARD_SCALE_MAXIMA.find((m) => m >= max) ?? max };
}

interface PointEstimate {
  rSquared: number;
  lmg: number[];
  lmgStdError: number[] | null;
  relativeWeights: number[] | null;
  first: number[];
  last: number[];
  pratt: number[] | null;
  /** Coefficients whose signs are reported (standardised for the linear model). */
  standardised: number[];
  correlations: number[];
}

/**
 * Logistic point estimate: McFadden's R² of every subset (exact), or of the subsets met by random
 * orderings (Monte Carlo, cached), on rows with frequency weights.
 */
function logisticEstimate(
  rows: Float64Array,
  m: number,
  counts: Int32Array | undefined,
  exact: boolean,
  permutations: number,
  random: Random,
  withSigns: boolean,
  starts?: number[][],
  correlations?: number[],
): PointEstimate & { betas: number[][] | undefined } {
  const p = m - 1;
  const n = rows.length / m;
  const columns = Array.from({ length: p }, (_, j) => Float64Array.from({ length: n }, (_, i) => rows[i * m + j]!));
  const y = Float64Array.from({ length: n }, (_, i) => rows[i * m + p]!);
  const weights = counts ? Float64Array.from(counts) : undefined;
  const nullLl = nullLogLikelihood(y, weights);
  const data = prepareLogisticData(y, columns, weights);
  const cache = new Map<number, number>([[0, 0]]);
  const valueOf = (mask: number): number => {
    let value = cache.get(mask);
    if (value === undefined) {
      value = clampUnit(1 - fitLogistic(data, columns.flatMap((_, j) => (mask & (1 << j) ? [j] : []))).logLikelihood / nullLl);
      cache.set(mask, value);
    }
    return value;
  };
  const full = 2 ** p - 1;
  let lmg: number[];
  let lmgStdError: number[] | null = null;
  let betas: number[][] | undefined;
  if (exact) {
    const subsets = allSubsetMcFadden(y, columns, weights, starts);
    subsets.values.forEach((value, mask) => cache.set(mask, (subsets.values[mask] = clampUnit(value))));
    lmg = lmgFromSubsets(subsets.values, p);
    betas = subsets.betas;
  } else {
    const shapley = shapleyFromOrderings(p, permutations, random, (order) => {
      let mask = 0;
      return order.map((j) => valueOf((mask |= 1 << j)));
    });
    lmg = shapley.values;
    lmgStdError = shapley.stdErrors;
  }
  const fullFit = withSigns ? fitLogistic(data, columns.map((_, j) => j)).beta.slice(1) : new Array<number>(p).fill(0);
  return {
    rSquared: valueOf(full),
    lmg,
    lmgStdError,
    relativeWeights: null,
    first: Array.from({ length: p }, (_, j) => valueOf(1 << j)),
    last: Array.from({ length: p }, (_, j) => valueOf(full) - valueOf(full & ~(1 << j))),
    pratt: null,
    standardised: fullFit,
    correlations: withSigns ? (correlations ?? columns.map((c) => correlationMatrix([c, y])[0]![1]!)) : new Array<number>(p).fill(0),
    betas,
  };
}

/** McFadden's R² lies in [0, 1] at the maximum likelihood; a fit stopped short under separation can leave it. */
function clampUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function estimate(correlation: number[][], exact: boolean, permutations: number, random: Random): PointEstimate {
  if (exact) {
    const r = relativeImportance(correlation);
    return { ...r, lmgStdError: null, standardised: r.standardisedCoefficients };
  }
  // beyond the exact limit only LMG is estimated; first, Pratt and the weights stay exact
  const shapley = monteCarloShapley(correlation, permutations, random);
  const sub = relativeImportanceWithoutSubsets(correlation);
  return { ...sub, lmg: shapley.values, lmgStdError: shapley.stdErrors };
}

function relativeImportanceWithoutSubsets(correlation: number[][]): Omit<PointEstimate, "lmg" | "lmgStdError"> {
  const p = correlation.length - 1;
  const rxx = new Matrix(correlation.slice(0, p).map((row) => row.slice(0, p)));
  const rxy = correlation.slice(0, p).map((row) => row[p]!);
  const solved = new EigenvalueDecomposition(rxx, { assumeSymmetric: true });
  const v = solved.eigenvectorMatrix;
  const inv = v.mmul(Matrix.diag(solved.realEigenvalues.map((l) => 1 / l))).mmul(v.transpose());
  const standardised = inv.mmul(Matrix.columnVector(rxy)).getColumn(0);
  const rSquared = standardised.reduce((s, b, j) => s + b * rxy[j]!, 0);
  return {
    rSquared,
    relativeWeights: johnsonRelativeWeights(correlation),
    first: rxy.map((r) => r * r),
    // last_j = β_j² / (R_xx⁻¹)_jj
    last: standardised.map((b, j) => (b * b) / inv.get(j, j)),
    pratt: standardised.map((b, j) => b * rxy[j]!),
    standardised,
    correlations: rxy,
  };
}

/**
 * Each value's share of their sum. The measures shared out (LMG, relative weights, first, last)
 * cannot be negative; a value below 0 is rounding (or a logistic fit that did not converge under
 * separation) and counts as 0, so every share lies in [0, 1].
 */
function shares(values: readonly number[]): number[] {
  const clipped = values.map((v) => Math.max(0, v));
  const total = clipped.reduce((a, b) => a + b, 0);
  return clipped.map((v) => (total === 0 ? 0 : Math.min(1, v / total)));
}

/** Pratt shares keep their sign: a negative Pratt measure is meaningful (a suppressor). */
function signedShares(values: readonly number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total === 0 ? 0 : v / total));
}

/** Ranks by descending value, 1 = largest; ties keep driver order. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, j) => j).sort((a, b) => values[b]! - values[a]! || a - b);
  const rank = new Array<number>(values.length);
  order.forEach((j, position) => (rank[j] = position + 1));
  return rank;
}

function conditionNumber(correlation: number[][]): number {
  const p = correlation.length - 1;
  const eigen = new EigenvalueDecomposition(new Matrix(correlation.slice(0, p).map((row) => row.slice(0, p))), { assumeSymmetric: true });
  const values = eigen.realEigenvalues;
  const max = Math.max(...values);
  const min = Math.min(...values);
  return min <= 0 ? Infinity : Math.sqrt(max / min);
}

function quadrantOf(highImportance: boolean, highPerformance: boolean): Quadrant {
  if (highImportance) return highPerformance ? "keep strong" : "fix first";
  return highPerformance ? "maintain" : "lower priority";
}

/** Bootstrap resamples per block. Each block draws from its own seeded stream, so blocks can run on any thread in any order and give the same replicates. */
export const RESAMPLES_PER_BLOCK = 25;

/** How many blocks a bootstrap of `resamples` has. */
export function bootstrapBlockCount(resamples: number): number {
  return Math.ceil(resamples / RESAMPLES_PER_BLOCK);
}

/** The resamples of one block that gave importances, per driver, in resample order. */
export interface BootstrapBlock {
  resamples: number;
  lmg: number[][];
  rw: number[][];
  rank: number[][];
  vs: number[][];
}

/** What one model's importances rest on, made once (per thread): the settings, the rows kept, the point estimate, and the bootstrap's data when first needed. */
export interface ImportancePlan {
  /** The driver columns, NaN where not answered. */
  drivers: readonly { name: string; values: Float64Array }[];
  vif: readonly number[];
  resamples: number;
  seed: number;
  missing: MissingPolicy;
  exactLimit: number;
  permutations: number;
  quadrantCut: QuadrantCut;
  model: "linear" | "logistic";
  scale: ScaleBounds | undefined;
  outcome: Float64Array;
  /** The rows used: listwise, those with every driver; pairwise, those with any. */
  keep: Int32Array;
  /** Listwise: the kept rows (the drivers' values, then the outcome) folded to their distinct rows; null pairwise. */
  folded: FoldedRows | null;
  correlation: number[][];
  point: PointEstimate & { betas?: number[][] | undefined };
  warnings: ImportanceResult["warnings"];
  resampling: Resampling | null;
}

interface Resampling {
  folded: FoldedRows | null;
  /** Pairwise deletion: the kept rows' columns (NaN where missing), the drivers', the random variable's and the outcome's. */
  columnsWithNoise: Float64Array[];
}

/**
 * The rows, the correlation matrix and the point estimate of one model's importances.
 * @param outcomeValues one value per response
 * @param driverValues the driver columns, null (or NaN) where not answered; none constant or collinear
 * @param vif the full model's VIF per driver (for the sign warnings)
 */
export function planImportance(
  outcomeValues: readonly number[] | Float64Array,
  driverValues: readonly { name: string; values: Values }[],
  vif: readonly number[],
  options: ImportanceOptions = {},
  /** The listwise rows folded already (each driver, then the outcome: foldColumns), when the caller has them. */
  foldedRows?: FoldedRows,
): ImportancePlan {
  const missing = options.missing ?? "listwise";
  const model = options.model ?? "linear";
  if (model === "logistic" && missing === "pairwise") {
    throw new DataError("pairwise deletion applies to the correlation-based measures of a linear outcome, not to the promoter (logistic) model; use --missing listwise");
  }
  const seed = options.seed ?? 1;
  const exactLimit = options.exactLimit ?? 20;
  const permutations = options.permutations ?? 5000;
  const p = driverValues.length;
  const exact = p <= exactLimit;
  const warnings: ImportanceResult["warnings"] = [];
  const outcome = asColumn(outcomeValues);
  const drivers = driverValues.map((d) => ({ name: d.name, values: asColumn(d.values) }));

  // rows: listwise keeps complete rows; pairwise keeps rows with the outcome and any driver
  const keep = rowsWithValues(drivers.map((d) => d.values), outcome.length, missing === "listwise");
  // listwise, the rows' distinct rows, each with how many rows it stands for: the correlations,
  // the logistic fits and the bootstrap are over those (never a copy of every row)
  if (foldedRows && foldedRows.order.length !== keep.length) throw new Error(`internal: the folded rows are ${foldedRows.order.length}, the listwise rows ${keep.length}`);
  const folded = missing === "listwise" ? (foldedRows ?? foldColumns([...drivers.map((d) => d.values), outcome], keep)) : null;
  const plan: ImportancePlan = {
    drivers,
    vif,
    resamples: options.bootstrap ?? 1000,
    seed,
    missing,
    exactLimit,
    permutations,
    quadrantCut: options.quadrantCut ?? "median",
    model,
    scale: options.scale,
    outcome,
    keep,
    folded,
    correlation: [],
    point: { rSquared: 0, lmg: [], lmgStdError: null, relativeWeights: null, first: [], last: [], pratt: null, standardised: [], correlations: [] },
    warnings,
    resampling: null,
  };
  const correlation = matrixOf(plan);
  if (missing === "pairwise" && !isPositiveDefinite(correlation)) {
    warnings.push({
      code: "pairwise-not-positive-definite",
      message: "the pairwise correlation matrix is not positive definite (different rows behind different pairs), so importances may be distorted; use --missing listwise",
    });
  }
  const random = createRandom(seed);
  plan.correlation = correlation;
  plan.point = model === "logistic" ? foldedLogisticEstimate(folded!, correlation, exact, permutations, random) : estimate(correlation, exact, permutations, random);
  return plan;
}

/**
 * The logistic point estimate of the rows, fitted on their distinct rows, each weighted by how many
 * rows it stands for: the same likelihood (a sum over the rows), on a fraction of them (ratings and
 * a 0/1 outcome repeat: 230,000 responses are about 30,000 distinct rows). The driver-outcome
 * correlations (for the signs) are the rows' own: the last column of their correlation matrix.
 */
function foldedLogisticEstimate(folded: FoldedRows, correlation: number[][], exact: boolean, permutations: number, random: Random): PointEstimate & { betas: number[][] | undefined } {
  const p = folded.m - 1;
  const correlations = Array.from({ length: p }, (_, j) => correlation[j]![p]!);
  return logisticEstimate(folded.patterns, folded.m, patternCounts(folded), exact, permutations, random, true, undefined, correlations);
}


/** The correlation matrix of the plan's rows (a resample's are in importanceBlock). */
function matrixOf(plan: ImportancePlan): number[][] {
  const { drivers, outcome, keep } = plan;
  const m = drivers.length + 1;
  if (plan.folded) return weightedCorrelationMatrix(plan.folded.patterns, m, patternCounts(plan.folded));
  const kept = (values: Float64Array) => Array.from(keep, (i) => nullable(values[i]!));
  return pairwiseCorrelationMatrix([...drivers.map((d) => kept(d.values)), kept(outcome)]).matrix;
}

/** The bootstrap's data: the rows folded (listwise; a linear model's with the random comparison variable) or the columns with the variable beside them (pairwise). */
function resamplingOf(plan: ImportancePlan): Resampling {
  if (plan.resampling !== null) return plan.resampling;
  const { drivers, outcome, keep, missing, model } = plan;
  const n = keep.length;
  // the random comparison variable (linear models) is drawn once and resampled with its rows
  const noise = model === "linear" ? comparisonNoise(n, createRandom(plan.seed + 0x7f4a7c15)) : undefined;
  // pairwise deletion needs the rows as they are; listwise folds them (below)
  const kept = (values: Float64Array) => Float64Array.from(keep, (i) => values[i]!);
  const columnsWithNoise = missing === "pairwise" && noise ? [...drivers.map((d) => kept(d.values)), Float64Array.from(noise), kept(outcome)] : [];
  // a listwise bootstrap reads nothing but the folded rows (with the noise in their order); a
  // logistic one refits its models on the distinct rows, each weighted by how often its rows were
  // drawn (the same likelihood as the rows', on a fraction of them)
  const folded = plan.folded && noise ? withExtra(plan.folded, noise) : plan.folded;
  return (plan.resampling = { folded, columnsWithNoise });
}

/**
 * Resamples `block`·RESAMPLES_PER_BLOCK onwards (up to the plan's total), from the block's own
 * stream, seeded by the seed and the block's number.
 */
export function importanceBlock(plan: ImportancePlan, block: number): BootstrapBlock {
  const { drivers, model, keep } = plan;
  const p = drivers.length;
  const m = p + 1;
  const n = keep.length;
  const exact = p <= plan.exactLimit;
  const first = block * RESAMPLES_PER_BLOCK;
  const count = Math.max(0, Math.min(RESAMPLES_PER_BLOCK, plan.resamples - first));
  const replicates: BootstrapBlock = { resamples: count, lmg: drivers.map(() => []), rw: drivers.map(() => []), rank: drivers.map(() => []), vs: drivers.map(() => []) };
  if (count === 0) return replicates;
  const { folded, columnsWithNoise } = resamplingOf(plan);
  const bootRandom = createRandom(plan.seed + 0x9e3779b9 + Math.imul(block, 0x2545f491));
  // bootstrap fits of the logistic subsets start from the full-sample fits: fewer iterations
  const fullSampleBetas = plan.point.betas;
  const mcPermutations = Math.max(200, Math.round(plan.permutations / 10));
  for (let b = 0; b < count; b++) {
    // the folded path sums its draws per distinct row, and both matrices come from the distinct
    // rows (ratings repeat) and the noise column; the others count per row
    if (model === "logistic") {
      // the distinct rows, each weighted by how often its rows were drawn
      const weights = Int32Array.from(foldedResample(folded!, bootRandom).weights);
      // a resample with one outcome value only, or a constant driver, has no logistic fit
      if (!resampleVaries(folded!.patterns, m, weights)) continue;
      const e = logisticEstimate(folded!.patterns, m, weights, exact, mcPermutations, bootRandom, false, fullSampleBetas);
      if (!e.lmg.every(Number.isFinite)) continue;
      const ls = shares(e.lmg);
      const rk = ranks(ls);
      for (let j = 0; j < p; j++) {
        replicates.lmg[j]!.push(ls[j]!);
        replicates.rank[j]!.push(rk[j]!);
      }
      continue;
    }
    const listwise = folded ? foldedResampleCorrelations(folded, bootRandom, p) : null;
    const counts = folded ? new Int32Array(0) : resampleCounts(n, bootRandom);
    // pairwise: each entry from the rows where both of its columns have a value, each row counted as
    // drawn; an entry depends on its two columns only, so the drivers' matrix is the one with the
    // random variable (at p) left out
    const withNoise = listwise ? listwise.withExtra : weightedPairwiseCorrelationMatrix(columnsWithNoise, counts);
    const c = listwise ? listwise.base : withNoise.filter((_, a) => a !== p).map((row) => row.filter((_, b) => b !== p));
    // a resample in which a driver is constant, or the drivers are collinear, has no importances:
    // it is dropped (and counted) rather than given made-up values
    if (isUsableCorrelation(c)) {
      const e = exact ? lmgAndRelativeWeights(c) : { lmg: monteCarloShapley(c, mcPermutations, bootRandom).values, relativeWeights: johnsonRelativeWeights(c) };
      if (e.lmg.every(Number.isFinite) && e.relativeWeights.every(Number.isFinite)) {
        const ls = shares(e.lmg);
        const rs = shares(e.relativeWeights);
        const rk = ranks(ls);
        for (let j = 0; j < p; j++) {
          replicates.lmg[j]!.push(ls[j]!);
          replicates.rw[j]!.push(rs[j]!);
          replicates.rank[j]!.push(rk[j]!);
        }
      }
    }
    if (!isUsableCorrelation(withNoise)) continue;
    const rwNoise = johnsonRelativeWeights(withNoise);
    if (!rwNoise.every(Number.isFinite)) continue;
    for (let j = 0; j < p; j++) replicates.vs[j]!.push(rwNoise[j]! - rwNoise[p]!);
  }
  return replicates;
}

/**
 * The importances without their intervals: every interval field null, and, with a bootstrap,
 * its settings (filled in by withIntervals).
 */
export function importanceWithoutIntervals(plan: ImportancePlan): ImportanceResult {
  const { drivers, point, correlation, vif, model, resamples, seed, exactLimit, permutations, quadrantCut } = plan;
  const p = drivers.length;
  const exact = p <= exactLimit;
  const warnings = [...plan.warnings];
  const lmgShare = shares(point.lmg);
  const rwShare = point.relativeWeights && shares(point.relativeWeights);
  const rank = ranks(lmgShare);
  const firstShare = shares(point.first);
  const lastShare = shares(point.last);
  const prattShare = point.pratt && signedShares(point.pratt);
  const condition = conditionNumber(correlation);

  // the quadrant
  const scales = drivers.map((d) => plan.scale ?? detectScale(d.values));
  const means = drivers.map((d) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < d.values.length; i++) {
      const v = d.values[i]!;
      if (!Number.isNaN(v)) (sum += v), count++;
    }
    return sum / count;
  });
  const performance = means.map((mean, j) => (100 * (mean - scales[j]!.min)) / (scales[j]!.max - scales[j]!.min));
  const cut = (values: number[]) => (quadrantCut === "median" ? median(values) : mean(values));
  const importanceCut = cut(lmgShare);
  const performanceCut = cut(performance);

  const importance = drivers.map((d, j): DriverImportance => {
    const sign: 1 | -1 = point.standardised[j]! < 0 ? -1 : 1;
    const correlationSign = Math.sign(point.correlations[j]!);
    const signConflict = correlationSign !== 0 && correlationSign !== sign;
    if (signConflict) {
      warnings.push({
        code: "sign-conflict",
        message: `driver "${d.name}": its coefficient is ${sign < 0 ? "negative" : "positive"} but its correlation with the outcome is ${correlationSign < 0 ? "negative" : "positive"} ` +
          `(VIF ${vif[j]!.toFixed(2)}, condition number ${condition.toFixed(1)}): it overlaps with other drivers, so read its sign with care; its importance is still valid`,
      });
    }
    return {
      driver: d.name,
      lmg: point.lmg[j]!,
      lmgShare: lmgShare[j]!,
      lmgStdError: point.lmgStdError?.[j] ?? null,
      relativeWeight: point.relativeWeights?.[j] ?? null,
      relativeWeightShare: rwShare?.[j] ?? null,
      first: point.first[j]!,
      firstShare: firstShare[j]!,
      last: point.last[j]!,
      lastShare: lastShare[j]!,
      pratt: point.pratt?.[j] ?? null,
      prattShare: prattShare?.[j] ?? null,
      rank: rank[j]!,
      sign,
      signConflict,
      correlation: point.correlations[j]!,
      mean: means[j]!,
      scaleMin: scales[j]!.min,
      scaleMax: scales[j]!.max,
      performance: performance[j]!,
      quadrant: quadrantOf(lmgShare[j]! >= importanceCut, performance[j]! >= performanceCut),
      lmgShareCiLow: null,
      lmgShareCiHigh: null,
      relativeWeightShareCiLow: null,
      relativeWeightShareCiHigh: null,
      rankCiLow: null,
      rankCiHigh: null,
      vsRandomCiLow: null,
      vsRandomCiHigh: null,
      significant: null,
    };
  });
  if (!exact) {
    warnings.push({
      code: "lmg-monte-carlo",
      message: `${p} drivers are more than the ${exactLimit} for which LMG is computed exactly: it is estimated from ${permutations} random orderings (seed ${seed}), with a standard error per driver`,
    });
  }
  return {
    model,
    n: plan.keep.length,
    rSquared: point.rSquared,
    method: exact ? "exact" : "monte-carlo",
    permutations: exact ? null : permutations,
    missing: plan.missing,
    bootstrap: resamples > 0 ? { resamples, seed, resampling: resamplingKind(plan.keep.length), interval: "percentile", confidence: 0.95, dropped: { importance: 0, vsRandom: 0 } } : null,
    quadrantCut,
    quadrantCuts: { importance: importanceCut, performance: performanceCut },
    conditionNumber: condition,
    importance,
    warnings,
  };
}

/**
 * The importances with their bootstrap intervals, from all the blocks of the bootstrap in block
 * order (as one after another would give them). A warning on resamples left out goes last.
 */
export function withIntervals(result: ImportanceResult, blocks: readonly BootstrapBlock[]): ImportanceResult {
  if (result.bootstrap === null) return result;
  const { resamples } = result.bootstrap;
  const { model } = result;
  const p = result.importance.length;
  const merged = (pick: (b: BootstrapBlock) => number[][]) => Array.from({ length: p }, (_, j) => blocks.flatMap((b) => pick(b)[j]!));
  const replicates = { lmg: merged((b) => b.lmg), rw: merged((b) => b.rw), rank: merged((b) => b.rank), vs: merged((b) => b.vs) };
  const warnings = [...result.warnings];
  const used = replicates.lmg[0]?.length ?? 0;
  const usedVs = model === "logistic" ? 0 : (replicates.vs[0]?.length ?? 0);
  const dropped = { importance: resamples - used, vsRandom: model === "logistic" ? 0 : resamples - usedVs };
  // percentile intervals need most resamples: with fewer than half usable they would describe
  // the lucky resamples, not the sampling variation
  const enough = (k: number) => k >= Math.max(1, resamples / 2);
  if (dropped.importance > 0 || dropped.vsRandom > 0) {
    const worst = Math.max(dropped.importance, dropped.vsRandom);
    if (!enough(used) || (model === "linear" && !enough(usedVs))) {
      warnings.push({
        code: "bootstrap-degenerate",
        message: `${worst} of ${resamples} bootstrap resamples had a constant or collinear driver (or a single outcome value), too many for bootstrap intervals: the importances are shown without intervals; more responses would give them`,
      });
    } else if (worst > Math.max(2, resamples * 0.01)) {
      warnings.push({
        code: "bootstrap-dropped",
        message: `${worst} of ${resamples} bootstrap resamples had a constant or collinear driver (or a single outcome value) and were left out of the intervals, which rest on the other ${resamples - worst}`,
      });
    }
  }
  const interval = (values: number[], k: number) => (enough(k) ? percentileInterval(values) : null);
  const importance = result.importance.map((d, j): DriverImportance => {
    const lmg = interval(replicates.lmg[j]!, used);
    const rw = model === "logistic" ? null : interval(replicates.rw[j]!, used);
    const rank = interval(replicates.rank[j]!, used);
    const vsRandom = model === "logistic" ? null : interval(replicates.vs[j]!, usedVs);
    return {
      ...d,
      lmgShareCiLow: lmg?.[0] ?? null,
      lmgShareCiHigh: lmg?.[1] ?? null,
      relativeWeightShareCiLow: rw?.[0] ?? null,
      relativeWeightShareCiHigh: rw?.[1] ?? null,
      rankCiLow: rank?.[0] ?? null,
      rankCiHigh: rank?.[1] ?? null,
      vsRandomCiLow: vsRandom?.[0] ?? null,
      vsRandomCiHigh: vsRandom?.[1] ?? null,
      significant: vsRandom ? vsRandom[0] > 0 : null,
    };
  });
  return { ...result, bootstrap: { ...result.bootstrap, dropped }, importance, warnings };
}

/**
 * Importance of each driver for the outcome, with its bootstrap run here, block after block.
 * @param outcome one value per response
 * @param drivers the driver columns, null where not answered; none constant or collinear
 * @param vif the full model's VIF per driver (for the sign warnings)
 */
export function driverImportance(
  outcome: readonly number[] | Float64Array,
  drivers: readonly { name: string; values: Values }[],
  vif: readonly number[],
  options: ImportanceOptions = {},
): ImportanceResult {
  const plan = planImportance(outcome, drivers, vif, options);
  const result = importanceWithoutIntervals(plan);
  return result.bootstrap === null ? result : withIntervals(result, allBlocks(plan, options.onResample));
}

/** Every block of the plan's bootstrap, one after another, telling `onResample` before each. */
export function allBlocks(plan: ImportancePlan, onResample?: (done: number, total: number) => void): BootstrapBlock[] {
  const blocks: BootstrapBlock[] = [];
  for (let b = 0; b < bootstrapBlockCount(plan.resamples); b++) {
    onResample?.(b * RESAMPLES_PER_BLOCK, plan.resamples);
    blocks.push(importanceBlock(plan, b));
  }
  return blocks;
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/**
 * A correlation matrix (outcome last) from which importances can be computed: every entry finite
 * and the drivers' block safely positive definite (Cholesky pivots above 1e-10), so no driver is
 * constant or an exact combination of the others.
 */
function isUsableCorrelation(correlation: number[][]): boolean {
  const m = correlation.length;
  for (const row of correlation) for (const value of row) if (!Number.isFinite(value)) return false;
  const p = m - 1;
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = correlation[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (!(sum > 1e-10)) return false;
        l[i * p + i] = Math.sqrt(sum);
      } else {
        l[i * p + j] = sum / l[j * p + j]!;
      }
    }
  }
  return true;
}

/** Whether every column (drivers and the 0/1 outcome) of a resample takes more than one value. */
function resampleVaries(rows: Float64Array, m: number, counts: Int32Array): boolean {
  const n = rows.length / m;
  for (let j = 0; j < m; j++) {
    let first: number | null = null;
    let varies = false;
    for (let i = 0; i < n && !varies; i++) {
      if (counts[i] === 0) continue;
      const v = rows[i * m + j]!;
      if (first === null) first = v;
      else if (v !== first) varies = true;
    }
    if (!varies) return false;
  }
  return true;
}

function isPositiveDefinite(correlation: number[][]): boolean {
  const eigen = new EigenvalueDecomposition(new Matrix(correlation.map((r) => [...r])), { assumeSymmetric: true });
  return Math.min(...eigen.realEigenvalues) > 1e-12;
}
