/**
 * Survival analysis on right-censored times: the Kaplan–Meier estimate with Greenwood's variance
 * and log-transformed 95% limits (R's survfit default), the log-rank test (survdiff), and the Cox
 * proportional-hazards model with Efron's handling of ties (coxph's default).
 */
import { Matrix, inverse } from "ml-matrix";
import { chiSquareUpperTailP, normalQuantile, normalTwoSidedP } from "./distributions.js";

export interface Subject {
  time: number;
  /** true: the event (leaving) happened at `time`; false: still there at `time` (censored). */
  event: boolean;
  /** How many subjects alike this one stands for (a whole number; 1 when left out). */
  count?: number;
}

/** The subjects one stands for. */
const weight = (s: Subject): number => s.count ?? 1;

export interface KaplanMeierStep {
  time: number;
  atRisk: number;
  events: number;
  survival: number;
  /** Greenwood's standard error of log S(t). */
  logStdError: number;
}

/** The Kaplan–Meier curve: one step per distinct event time, in increasing order. */
export function kaplanMeier(subjects: readonly Subject[]): KaplanMeierStep[] {
  // subjects and events per distinct time (whole counts: the same arithmetic as subject by subject)
  const byTime = new Map<number, { subjects: number; events: number }>();
  let atRisk = 0;
  for (const s of subjects) {
    const w = weight(s);
    atRisk += w;
    const cell = byTime.get(s.time);
    if (cell) (cell.subjects += w), (cell.events += s.event ? w : 0);
    else byTime.set(s.time, { subjects: w, events: s.event ? w : 0 });
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const steps: KaplanMeierStep[] = [];
  let survival = 1;
  let greenwood = 0;
  // at risk at t: every subject whose time is t or later (atRisk starts at all of them)
  for (const time of times) {
    const { subjects: here, events } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      greenwood += atRisk > events ? events / (atRisk * (atRisk - events)) : Infinity;
      steps.push({ time, atRisk, events, survival, logStdError: Math.sqrt(greenwood) });
    }
    atRisk -= here;
  }
  return steps;
}

export interface SurvivalAt {
  t: number;
  /** null past the last follow-up time. */
  survival: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

const Z = normalQuantile(0.975);

/** S(t) with its log-transformed Greenwood 95% limits; null when t lies past the last observed time. */
export function survivalAt(steps: readonly KaplanMeierStep[], lastTime: number, t: number): SurvivalAt {
  if (t > lastTime) return { t, survival: null, ciLow: null, ciHigh: null };
  let step: KaplanMeierStep | null = null;
  for (const s of steps) if (s.time <= t) step = s;
  if (!step) return { t, survival: 1, ciLow: 1, ciHigh: 1 };
  if (step.survival === 0 || !Number.isFinite(step.logStdError)) return { t, survival: step.survival, ciLow: null, ciHigh: null };
  return {
    t,
    survival: step.survival,
    ciLow: step.survival * Math.exp(-Z * step.logStdError),
    ciHigh: Math.min(1, step.survival * Math.exp(Z * step.logStdError)),
  };
}

/**
 * The median survival time as R's survfit prints it: the first time S(t) ≤ 0.5, or, when S(t) is
 * exactly 0.5 over a stretch, the midpoint of that stretch; null when S never falls to 0.5.
 */
export function medianSurvival(steps: readonly KaplanMeierStep[]): number | null {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!.survival;
    if (Math.abs(s - 0.5) < 1e-10) return i + 1 < steps.length ? (steps[i]!.time + steps[i + 1]!.time) / 2 : steps[i]!.time;
    if (s < 0.5) return steps[i]!.time;
  }
  return null;
}

export interface LogRank {
  chiSquare: number;
  df: number;
  p: number;
  observed: number[];
  expected: number[];
}

/** The log-rank test of equal survival across groups (R's survdiff, rho = 0); null with fewer than 2 groups or no events. */
export function logRank(groups: readonly (readonly Subject[])[]): LogRank | null {
  const k = groups.length;
  if (k < 2) return null;
  // subjects and events per distinct time and group (whole counts: the same arithmetic as subject by subject)
  const byTime = new Map<number, { subjects: number[]; events: number[] }>();
  groups.forEach((g, i) => {
    for (const s of g) {
      let cell = byTime.get(s.time);
      if (!cell) byTime.set(s.time, (cell = { subjects: new Array<number>(k).fill(0), events: new Array<number>(k).fill(0) }));
      const w = weight(s);
      cell.subjects[i]! += w;
      if (s.event) cell.events[i]! += w;
    }
  });
  if (![...byTime.values()].some((cell) => cell.events.some((e) => e > 0))) return null;
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const variance = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  // one sweep up the distinct times: the risk set is everyone whose time is this one or later
  const atRisk = groups.map((g) => g.reduce((sum, s) => sum + weight(s), 0));
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    const { subjects: here, events } = byTime.get(time)!;
    const d = events.reduce((a, b) => a + b, 0);
    if (d > 0) {
      const n = atRisk.reduce((a, b) => a + b, 0);
      const factor = n > 1 ? (d * (n - d)) / (n * n * (n - 1)) : 0;
      for (let i = 0; i < k; i++) {
        observed[i]! += events[i]!;
        expected[i]! += (d * atRisk[i]!) / n;
        for (let j = 0; j < k; j++) variance[i]![j]! += factor * ((i === j ? n * atRisk[i]! : 0) - atRisk[i]! * atRisk[j]!);
      }
    }
    for (let i = 0; i < k; i++) atRisk[i]! -= here[i]!;
  }
  // the k − 1 first groups carry all the information (the differences sum to zero)
  const m = k - 1;
  const diff = Matrix.columnVector(observed.slice(0, m).map((o, i) => o - expected[i]!));
  const v = new Matrix(variance.slice(0, m).map((row) => row.slice(0, m)));
  const chiSquare = diff.transpose().mmul(inverse(v, true)).mmul(diff).get(0, 0);
  return { chiSquare, df: m, p: chiSquareUpperTailP(chiSquare, m), observed, expected };
}

export interface CoxTerm {
  coefficient: number;
  stdError: number;
  hazardRatio: number;
  ciLow: number;
  ciHigh: number;
  z: number;
  p: number;
}

export interface CoxFit {
  terms: CoxTerm[];
  /** Partial log-likelihood at β = 0 and at the estimate. */
  logLikelihood: [number, number];
  lrTest: number;
  lrDf: number;
  lrP: number;
  iterations: number;
}

/**
 * Efron partial log-likelihood, score and information at β (R's coxph, ties = "efron"), over
 * cells of subjects alike (the same time, event and covariates), `counts[k]` subjects in cell k:
 * the same sums as over the subjects one by one, each term counted as often. The covariates come
 * as one row-major array (`x[k·p + a]`).
 */
function efron(subjects: readonly Subject[], counts: Float64Array, x: Float64Array, beta: readonly number[], order: Int32Array) {
  const p = beta.length;
  const n = subjects.length;
  const eta = new Float64Array(n);
  const risk = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let a = 0; a < p; a++) sum = sum + x[k * p + a]! * beta[a]!;
    eta[k] = sum;
    risk[k] = Math.exp(sum);
  }
  let logLik = 0;
  const score = new Float64Array(p);
  const information = new Float64Array(p * p);
  // running sums over the risk set, built from the longest times down
  let s0 = 0;
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const e1 = new Float64Array(p);
  const e2 = new Float64Array(p * p);
  const mean = new Float64Array(p);
  const tied: number[] = [];
  let i = 0;
  while (i < order.length) {
    const time = subjects[order[i]!]!.time;
    tied.length = 0;
    let j = i;
    let d = 0;
    for (; j < order.length && subjects[order[j]!]!.time === time; j++) {
      const k = order[j]!;
      const c = counts[k]!;
      const r = c * risk[k]!;
      s0 += r;
      for (let a = 0; a < p; a++) {
        const xa = x[k * p + a]!;
        s1[a]! += r * xa;
        for (let b = 0; b < p; b++) s2[a * p + b]! += r * xa * x[k * p + b]!;
      }
      if (subjects[k]!.event) tied.push(k), (d += c);
    }
    if (d > 0) {
      let e0 = 0;
      e1.fill(0);
      e2.fill(0);
      for (const k of tied) {
        const c = counts[k]!;
        const r = c * risk[k]!;
        logLik += c * eta[k]!;
        e0 += r;
        for (let a = 0; a < p; a++) {
          const xa = x[k * p + a]!;
          score[a]! += c * xa;
          e1[a]! += r * xa;
          for (let b = 0; b < p; b++) e2[a * p + b]! += r * xa * x[k * p + b]!;
        }
      }
      for (let l = 0; l < d; l++) {
        const f = l / d;
        const denominator = s0 - f * e0;
        logLik -= Math.log(denominator);
        for (let a = 0; a < p; a++) mean[a] = (s1[a]! - f * e1[a]!) / denominator;
        for (let a = 0; a < p; a++) {
          score[a]! -= mean[a]!;
          for (let b = 0; b < p; b++) information[a * p + b]! += (s2[a * p + b]! - f * e2[a * p + b]!) / denominator - mean[a]! * mean[b]!;
        }
      }
    }
    i = j;
  }
  return { logLik, score: Array.from(score), information: Array.from({ length: p }, (_, a) => Array.from(information.subarray(a * p, a * p + p))) };
}

/**
 * The Cox model of the hazard on the covariates (one row per subject), fitted by Newton–Raphson
 * with step halving from β = 0, as coxph does. Wald z and p per term, 95% limits of the hazard
 * ratio, and the likelihood-ratio test against β = 0. null without events or when the information
 * matrix is singular (a covariate constant among the subjects at risk).
 */
export function coxEfron(subjects: readonly Subject[], x: readonly number[][], maxIterations = 30): CoxFit | null {
  const p = x[0]?.length ?? 0;
  if (p === 0 || !subjects.some((s) => s.event)) return null;
  // subjects alike (time, event, covariates) as one cell with a count: survey customers share a
  // few categories and whole months, so a million subjects make a few hundred cells
  const cellOf = new Map<string, number>();
  const cells: Subject[] = [];
  const countList: number[] = [];
  const rows: number[] = [];
  subjects.forEach((subject, k) => {
    const key = `${subject.time},${subject.event ? 1 : 0},${x[k]!.join(",")}`;
    let cell = cellOf.get(key);
    if (cell === undefined) {
      cell = cells.length;
      cellOf.set(key, cell);
      cells.push({ time: subject.time, event: subject.event });
      countList.push(0);
      rows.push(...x[k]!);
    }
    countList[cell]! += weight(subject);
  });
  const counts = Float64Array.from(countList);
  const flat = Float64Array.from(rows);
  // longest times first: the risk set grows as the sweep goes down
  const order = Int32Array.from(cells.map((_, i) => i).sort((a, b) => cells[b]!.time - cells[a]!.time || a - b));
  let beta = new Array<number>(p).fill(0);
  let current = efron(cells, counts, flat, beta, order);
  const initial = current.logLik;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let step: number[];
    try {
      step = inverse(new Matrix(current.information)).mmul(Matrix.columnVector(current.score)).getColumn(0);
    } catch {
      return null;
    }
    let next = beta.map((b, a) => b + step[a]!);
    let trial = efron(cells, counts, flat, next, order);
    for (let halvings = 0; halvings < 20 && !(trial.logLik >= current.logLik - 1e-12); halvings++) {
      next = beta.map((b, a) => (b + next[a]!) / 2);
      trial = efron(cells, counts, flat, next, order);
    }
    const converged = Math.abs(trial.logLik - current.logLik) <= 1e-9 * Math.abs(trial.logLik);
    beta = next;
    current = trial;
    if (converged) break;
  }
  let covariance: Matrix;
  try {
    covariance = inverse(new Matrix(current.information));
  } catch {
    return null;
  }
  const terms = beta.map((coefficient, a) => {
    const stdError = Math.sqrt(covariance.get(a, a));
    const z = coefficient / stdError;
    return { coefficient, stdError, hazardRatio: Math.exp(coefficient), ciLow: Math.exp(coefficient - Z * stdError), ciHigh: Math.exp(coefficient + Z * stdError), z, p: normalTwoSidedP(z) };
  });
  if (terms.some((t) => !Number.isFinite(t.stdError) || Math.abs(t.coefficient) > 15)) return null;
  const lrTest = Math.max(0, 2 * (current.logLik - initial));
  return { terms, logLikelihood: [initial, current.logLik], lrTest, lrDf: p, lrP: chiSquareUpperTailP(lrTest, p), iterations: iterations + 1 };
}
