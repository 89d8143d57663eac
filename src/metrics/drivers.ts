/**
 * Key-driver regression: OLS of the outcome (the 0-10 score by default) on the driver
 * ratings with an intercept and listwise deletion (shared/DESIGN.md section 3).
 *
 * Policy for designs that cannot be estimated: a constant driver, or one that is a linear
 * combination of drivers before it, is left out of the model with a warning naming it
 * (R's lm() would print NA for it); too few complete rows gives no model and a warning.
 * Never NaN, Infinity or absurd coefficients.
 */
import { DataError } from "../errors.js";
import { logistic, type LogisticFit } from "../stats/logistic.js";
import { foldColumns, patternColumn, patternCounts, type FoldedRows } from "../stats/bootstrap.js";
import { aliasedColumns, ols, varianceInflationFactors, type OlsFit, type OlsTerm } from "../stats/ols.js";
import {
  allBlocks,
  asColumn,
  pick,
  rowsWithValues,
  importanceBlock,
  importanceWithoutIntervals,
  planImportance,
  withIntervals,
  type BootstrapBlock,
  type ImportanceOptions,
  type ImportancePlan,
  type ImportanceResult,
  type Values,
} from "./driver-importance.js";

/** A model term: "intercept" or a driver, with OLS inference and, for drivers, the VIF. */
export interface DriverTerm extends OlsTerm {
  term: string;
  /** Wald z of a logistic model; null for the linear model (which has t). */
  z: number | null;
  /** null for the intercept. */
  vif: number | null;
}

export interface ExcludedDriver {
  driver: string;
  reason: "constant" | "collinear";
}

export type DriverModelKind = "linear" | "logistic";

export interface DriverModel {
  model: DriverModelKind;
  outcome: string;
  drivers: string[];
  n: number;
  droppedIncomplete: number;
  /** Rows with a value missing, per driver (a row may miss several). */
  missingByDriver: { driver: string; missing: number }[];
  excluded: ExcludedDriver[];
  /** R² of the linear model; McFadden's pseudo-R² of the logistic one. */
  rSquared: number;
  adjRSquared: number | null;
  sigma: number | null;
  f: number | null;
  fP: number | null;
  /** Logistic model only: log-likelihood and the likelihood-ratio test against the intercept-only model. */
  logLikelihood: number | null;
  lrChiSquare: number | null;
  lrP: number | null;
  dfModel: number;
  dfResidual: number;
  perfectFit: boolean;
  terms: DriverTerm[];
}

export interface DriverWarning {
  code: "driver-constant" | "driver-collinear" | "drivers-too-few-rows" | "drivers-perfect-fit" | "drivers-constant-outcome" | "drivers-separation";
  message: string;
}

export interface DriverAnalysis {
  model: DriverModel | null;
  warnings: DriverWarning[];
}

/**
 * Fits the driver model.
 * @param outcome the outcome per response (the 0-10 score), null (or NaN in a Float64Array) where missing (left out like an incomplete row)
 * @param drivers one column per driver, values null (or NaN in a Float64Array) where not answered
 * @example driverRegression("nps", [9, 4, 7, 10], [{ name: "service", values: [8, 3, 6, 10] }])
 */
export function driverRegression(
  outcomeName: string,
  outcome: Values,
  drivers: readonly { name: string; values: Values }[],
  kind: DriverModelKind = "linear",
): DriverAnalysis {
  return foldedRegression(outcomeName, outcome, drivers, kind).analysis;
}

/**
 * driverRegression, and for a linear model its complete rows folded (each driver, then the
 * outcome) to their distinct rows, each weighted by how many it stands for (ratings repeat: a
 * million answers on five 1-10 drivers are about 100,000 distinct rows): the fit's passes and its
 * QR are over those, the same least squares as over the rows, in memory for the distinct rows
 * instead of copies of all of them (foldColumns, ols' weights). The fold is also the importances'
 * rows when no driver is left out. The logistic model fits the rows themselves.
 */
function foldedRegression(
  outcomeName: string,
  outcome: Values,
  drivers: readonly { name: string; values: Values }[],
  kind: DriverModelKind,
): { analysis: DriverAnalysis; folded: FoldedRows | null } {
  const y0 = asColumn(outcome);
  const driverValues = drivers.map((driver) => asColumn(driver.values));
  const complete = rowsWithValues([y0, ...driverValues], y0.length, true);
  const folded = kind === "linear" ? foldColumns([...driverValues, y0], complete) : null;
  return { analysis: regressionOf(outcomeName, y0, driverValues, drivers, complete, folded, kind), folded };
}

function regressionOf(
  outcomeName: string,
  y0: Float64Array,
  driverValues: Float64Array[],
  drivers: readonly { name: string; values: Values }[],
  complete: Int32Array,
  folded: FoldedRows | null,
  kind: DriverModelKind,
): DriverAnalysis {
  const warnings: DriverWarning[] = [];
  const missingByDriver = drivers.map((driver, j) => {
    let missing = 0;
    const values = driverValues[j]!;
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) missing++;
    return { driver: driver.name, missing };
  });
  // (a linear model's rows folded: foldedRegression)
  const weights = folded ? patternCounts(folded) : undefined;
  const y = folded ? patternColumn(folded, drivers.length) : pick(y0, complete);
  const columns = driverValues.map((values, j) => (folded ? patternColumn(folded, j) : pick(values, complete)));

  const excluded: ExcludedDriver[] = [];
  for (const alias of aliasedColumns(columns, weights)) {
    const name = drivers[alias.index]!.name;
    if (alias.constant) {
      excluded.push({ driver: name, reason: "constant" });
      warnings.push({
        code: "driver-constant",
        message: `driver "${name}" has the same value in every complete response, so its effect cannot be estimated; it was left out of the model`,
      });
    } else {
      const earlier = drivers.slice(0, alias.index).map((d) => `"${d.name}"`).join(", ");
      excluded.push({ driver: name, reason: "collinear" });
      warnings.push({
        code: "driver-collinear",
        message: `driver "${name}" is an exact linear combination of ${earlier}, so its effect cannot be separated from theirs; it was left out of the model`,
      });
    }
  }
  const excludedNames = new Set(excluded.map((e) => e.driver));
  const kept = drivers.map((d, i) => ({ name: d.name, column: columns[i]! })).filter((d) => !excludedNames.has(d.name));

  const base = { outcome: outcomeName, n: complete.length, droppedIncomplete: y0.length - complete.length, missingByDriver, excluded };
  if (kept.length === 0) {
    warnings.push({ code: "drivers-too-few-rows", message: "no driver can be estimated, so there is no driver model" });
    return { model: null, warnings };
  }
  if (complete.length <= kept.length + 1) {
    warnings.push({
      code: "drivers-too-few-rows",
      message: `only ${complete.length} responses answer every driver, but ${kept.length} drivers need at least ${kept.length + 2}; there is no driver model`,
    });
    return { model: null, warnings };
  }
  if (kind === "logistic") return logisticModel(base, y, kept, warnings);
  let fit: OlsFit;
  try {
    // the drivers aliasedColumns named are out already
    fit = ols(y, kept.map((d) => d.column), { unaliased: true, weights });
  } catch (error) {
    if (error instanceof DataError && /outcome is constant/.test(error.message)) {
      warnings.push({
        code: "drivers-constant-outcome",
        message: `every complete response gives the same ${outcomeName}, so there is nothing for the drivers to explain; there is no driver model`,
      });
      return { model: null, warnings };
    }
    throw error;
  }
  if (fit.perfectFit) {
    warnings.push({
      code: "drivers-perfect-fit",
      message: `${outcomeName} is an exact linear function of the drivers, so standard errors, p-values and intervals are undefined`,
    });
  }
  const names = ["intercept", ...kept.map((d) => d.name)];
  return {
    model: {
      model: "linear",
      ...base,
      drivers: kept.map((d) => d.name),
      rSquared: fit.rSquared,
      adjRSquared: fit.adjRSquared,
      sigma: fit.sigma,
      f: fit.f,
      fP: fit.fP,
      logLikelihood: null,
      lrChiSquare: null,
      lrP: null,
      dfModel: fit.dfModel,
      dfResidual: fit.dfResidual,
      perfectFit: fit.perfectFit,
      terms: fit.terms.map((term, index) => ({ term: names[index]!, ...term, z: null, vif: index === 0 ? null : fit.vif[index - 1]! })),
    },
    warnings,
  };
}

function logisticModel(
  base: Pick<DriverModel, "outcome" | "n" | "droppedIncomplete" | "missingByDriver" | "excluded">,
  y: Float64Array,
  kept: { name: string; column: Float64Array }[],
  warnings: DriverWarning[],
): DriverAnalysis {
  let fit: LogisticFit;
  try {
    fit = logistic(y, kept.map((d) => d.column));
  } catch (error) {
    if (error instanceof DataError) {
      warnings.push({ code: "drivers-constant-outcome", message: `${error.message}; there is no driver model` });
      return { model: null, warnings };
    }
    throw error;
  }
  if (fit.separated) {
    warnings.push({
      code: "drivers-separation",
      message: "the drivers separate promoters from the others (almost) perfectly, so the logistic estimates and their intervals are unreliable",
    });
  }
  const vif = varianceInflationFactors(kept.map((d) => d.column));
  const names = ["intercept", ...kept.map((d) => d.name)];
  return {
    model: {
      model: "logistic",
      ...base,
      drivers: kept.map((d) => d.name),
      rSquared: fit.mcFaddenRSquared,
      adjRSquared: null,
      sigma: null,
      f: null,
      fP: null,
      logLikelihood: fit.logLikelihood,
      lrChiSquare: fit.lrChiSquare,
      lrP: fit.lrP,
      dfModel: kept.length,
      dfResidual: y.length - kept.length - 1,
      perfectFit: false,
      terms: fit.terms.map((term, index) => ({ term: names[index]!, ...term, t: null, stdBeta: null, vif: index === 0 ? null : vif[index - 1]! })),
    },
    warnings,
  };
}

/** A driver's ratings, one per response: null (or NaN in a Float64Array) where not answered. */
export interface DriverColumn {
  name: string;
  values: Values;
}

export interface FullDriverAnalysis {
  model: DriverModel | null;
  importance: ImportanceResult | null;
  warnings: { code: string; message: string }[];
}

/** One driver analysis prepared: the regression, and the importances' plan when there are importances to compute. */
export interface DriverPlan {
  regression: ReturnType<typeof driverRegression>;
  importance: ImportancePlan | null;
}

/** The regression, and the plan of the importances on the drivers it could estimate (none without options, a model or with a perfect fit). */
export function planDriverAnalysis(
  outcomeName: string,
  outcome: Values,
  drivers: readonly DriverColumn[],
  options: ImportanceOptions | null,
  kind: DriverModelKind = "linear",
): DriverPlan {
  const { analysis: regression, folded } = foldedRegression(outcomeName, outcome, drivers, kind);
  const model = regression.model;
  if (!model || options === null || model.perfectFit) return { regression, importance: null };
  const kept = drivers.filter((d) => model.drivers.includes(d.name));
  const vif = model.terms.slice(1).map((t) => t.vif ?? 1);
  // importance works on the rows with an outcome (all of them, usually: then the columns as they are); the driver values may still be missing
  const y = asColumn(outcome);
  const answered = rowsWithValues([y], y.length, true);
  const rows = answered.length === y.length ? null : answered;
  const importance = planImportance(
    rows ? pick(y, rows) : y,
    kept.map((d) => ({ name: d.name, values: rows ? pick(asColumn(d.values), rows) : asColumn(d.values) })),
    vif,
    { ...options, model: kind },
    // the regression's complete rows are the importances' listwise rows when it kept every driver
    model.excluded.length === 0 && (options.missing ?? "listwise") === "listwise" ? (folded ?? undefined) : undefined,
  );
  return { regression, importance };
}

/** The analysis without the bootstrap's intervals (see withDriverIntervals). */
export function driversWithoutIntervals(plan: DriverPlan): FullDriverAnalysis {
  const importance = plan.importance && importanceWithoutIntervals(plan.importance);
  return { model: plan.regression.model, importance, warnings: [...plan.regression.warnings, ...(importance?.warnings ?? [])] };
}

/** One block of the plan's bootstrap (null when it has none). */
export function driverBlock(plan: DriverPlan, block: number): BootstrapBlock | null {
  return plan.importance && plan.importance.resamples > 0 ? importanceBlock(plan.importance, block) : null;
}

/** The analysis with its intervals, from all the blocks of its bootstrap in order; the warnings they raise go last. */
export function withDriverIntervals(analysis: FullDriverAnalysis, blocks: readonly BootstrapBlock[]): FullDriverAnalysis {
  if (analysis.importance === null || analysis.importance.bootstrap === null) return analysis;
  const importance = withIntervals(analysis.importance, blocks);
  return { ...analysis, importance, warnings: [...analysis.warnings, ...importance.warnings.slice(analysis.importance.warnings.length)] };
}

/**
 * The regression and, on the drivers it could estimate, their relative importance, with the
 * whole bootstrap run here.
 * @see driverRegression, driverImportance
 */
export function analyzeDrivers(
  outcomeName: string,
  outcome: Values,
  drivers: readonly DriverColumn[],
  options: ImportanceOptions | null,
  kind: DriverModelKind = "linear",
): FullDriverAnalysis {
  const plan = planDriverAnalysis(outcomeName, outcome, drivers, options, kind);
  const analysis = driversWithoutIntervals(plan);
  if (plan.importance === null || plan.importance.resamples === 0) return analysis;
  return withDriverIntervals(analysis, allBlocks(plan.importance, options?.onResample));
}

/** The smallest group for a per-group driver analysis: max(30, 10 × drivers) complete responses. */
export function minimumGroupSizeForDrivers(drivers: number): number {
  return Math.max(30, 10 * drivers);
}
