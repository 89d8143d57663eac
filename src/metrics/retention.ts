/**
 * Retention and value by NPS category (shared/METHODS.md b5): revenue-weighted NPS, mean and
 * median revenue and margin per customer, gross and net revenue retention of the cohort active at
 * the start of the window, the monthly churn hazard (churned customers / customer-months at risk),
 * and the simple lifetime value = monthly value per customer-month / monthly hazard, with the
 * promoter-to-detractor ratio of lifetime values and its bootstrap interval.
 */
import { countedSums, percentileInterval, quantileInPlace, resamplingKind, type ResamplingKind } from "../stats/bootstrap.js";
import { createRandom, type Random } from "../stats/random.js";
import { NPS_CATEGORIES, type NpsCategory } from "./nps.js";

/** What retention needs of a matched customer (join/ computes it). */
export interface RetentionCustomer {
  /** Revenue in the 12-month cohort's first month (null: not in the cohort) and in the file's last month. */
  cohortStartRevenue?: number | null;
  cohortEndRevenue?: number | null;
  category: NpsCategory;
  revenue: number;
  cost: number | null;
  churned: boolean | null;
  monthsAtRisk: number | null;
  startRevenue: number | null;
  endRevenue: number | null;
}

/**
 * The customers as columns (MatchedCustomers is one): customer i at index i, a missing number NaN,
 * `category` the index into NPS_CATEGORIES, `churned` −1 (unknown), 0 or 1.
 */
export interface RetentionColumns {
  length: number;
  category: Uint8Array;
  revenue: Float64Array;
  cost: Float64Array;
  churned: Int8Array;
  monthsAtRisk: Float64Array;
  startRevenue: Float64Array;
  endRevenue: Float64Array;
  cohortStartRevenue: Float64Array;
  cohortEndRevenue: Float64Array;
}

/** Customers given one by one, as columns. */
export function retentionColumns(customers: readonly RetentionCustomer[]): RetentionColumns {
  const n = customers.length;
  const f64 = (of: (c: RetentionCustomer) => number | null | undefined) => Float64Array.from(customers, (c) => of(c) ?? Number.NaN);
  return {
    length: n,
    category: Uint8Array.from(customers, (c) => NPS_CATEGORIES.indexOf(c.category)),
    revenue: f64((c) => c.revenue),
    cost: f64((c) => c.cost),
    churned: Int8Array.from(customers, (c) => (c.churned === null ? -1 : c.churned ? 1 : 0)),
    monthsAtRisk: f64((c) => c.monthsAtRisk),
    startRevenue: f64((c) => c.startRevenue),
    endRevenue: f64((c) => c.endRevenue),
    cohortStartRevenue: f64((c) => c.cohortStartRevenue),
    cohortEndRevenue: f64((c) => c.cohortEndRevenue),
  };
}

const columnsOf = (customers: readonly RetentionCustomer[] | RetentionColumns): RetentionColumns => (Array.isArray(customers) ? retentionColumns(customers as readonly RetentionCustomer[]) : (customers as RetentionColumns));

/** The numbers of the customers in each category (in NPS_CATEGORIES order), and of all of them, in order. */
function membersOf(columns: RetentionColumns): { byCategory: Int32Array[]; all: Int32Array } {
  const counts = [0, 0, 0];
  for (let i = 0; i < columns.length; i++) counts[columns.category[i]!]! += 1;
  const byCategory = counts.map((k) => new Int32Array(k));
  const filled = [0, 0, 0];
  for (let i = 0; i < columns.length; i++) {
    const k = columns.category[i]!;
    byCategory[k]![filled[k]!++] = i;
  }
  return { byCategory, all: Int32Array.from({ length: columns.length }, (_, i) => i) };
}

export interface RetentionFigures {
  customers: number;
  revenuePerCustomer: number | null;
  revenueMedian: number | null;
  /** null without a cost column. */
  marginPerCustomer: number | null;
  marginMedian: number | null;
  /** Customers with a finance row in the window's first period. */
  startCohort: number;
  /** Their revenue in the first period, and in the last period (0 for those gone). */
  startRevenue: number;
  endRevenue: number;
  /** Σ min(end, start) / Σ start over the start cohort; null without one. */
  grossRevenueRetention: number | null;
  /** Σ end / Σ start over the start cohort (includes expansion); null without one. */
  netRevenueRetention: number | null;
  churned: number;
  customerMonths: number;
  /** churned / customer-months at risk; null without months. */
  monthlyHazard: number | null;
  /** 1 − (1 − monthly hazard)^12. */
  annualChurn: number | null;
  /** 1 / monthly hazard, in months; null when no one churned (unbounded). */
  expectedLifetimeMonths: number | null;
  /** Margin (revenue without cost) per customer-month. */
  monthlyValue: number | null;
  /** monthlyValue / monthlyHazard; null when no one churned (unbounded). */
  lifetimeValue: number | null;
  /** Σ_{k=1..H} monthlyValue · ((1 − hazard) / (1 + i))^k, i the monthly discount rate: bounded, and defined when no one left. */
  discountedLifetimeValue: number | null;
}

export interface CategoryRetention extends RetentionFigures {
  category: NpsCategory;
}

export interface LifetimeValueRatio {
  /** Promoter lifetime value / detractor lifetime value. */
  ratio: number;
  /** Percentile bootstrap interval (customers resampled within each category); null bounds are unbounded. */
  ciLow: number | null;
  ciHigh: number | null;
  resamples: number;
  seed: number;
  /** How each category's customers are resampled (stats/bootstrap resamplingKind). */
  resampling: { promoter: ResamplingKind; detractor: ResamplingKind };
}

export interface RetentionSummary {
  /** "margin" with a cost column, else "revenue": what monthlyValue and lifetimeValue are made of. */
  basis: "margin" | "revenue";
  /** 100 · (Σ promoter revenue − Σ detractor revenue) / Σ revenue, in NPS points; null when Σ revenue is 0. */
  revenueWeightedNps: number | null;
  byCategory: CategoryRetention[];
  overall: RetentionFigures;
  ltvRatio: LifetimeValueRatio | null;
  discount: Discount;
}

/** median of an array of the caller's own, not read afterwards (left reordered). */
const medianInPlace = (values: Float64Array): number | null => (values.length === 0 ? null : quantileInPlace(values, 0.5));

const monthlyAnnual = (hazard: number) => 1 - (1 - Math.min(1, hazard)) ** 12;

interface HazardSums {
  churned: number;
  months: number;
  value: number;
}

/**
 * The hazard sums of the members, in their order: months at risk, churned and value (revenue, or
 * margin) of those with months at risk, read in place (no column made: at a million customers
 * 25 MB less per category).
 */
function hazardSums(customers: RetentionColumns, members: Int32Array, basis: "margin" | "revenue"): HazardSums {
  const sums = { churned: 0, months: 0, value: 0 };
  for (let j = 0; j < members.length; j++) {
    const i = members[j]!;
    const months = customers.monthsAtRisk[i]!;
    if (Number.isNaN(months)) continue;
    sums.months += months;
    if (customers.churned[i] === 1) sums.churned += 1;
    sums.value += basis === "margin" ? customers.revenue[i]! - customers.cost[i]! : customers.revenue[i]!;
  }
  return sums;
}

/**
 * The members' columns for the bootstrap's countedSums: months at risk, churned (0/1) and value
 * (revenue, or margin), 0 in each for a customer without months at risk (hazardSums skips them).
 */
function resampledColumns(customers: RetentionColumns, members: Int32Array, basis: "margin" | "revenue"): { sums: Float64Array[]; counts: Uint8Array } {
  const n = members.length;
  const months = new Float64Array(n);
  const churned = new Float64Array(n);
  const value = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const i = members[j]!;
    const m = customers.monthsAtRisk[i]!;
    if (Number.isNaN(m)) continue;
    months[j] = m;
    churned[j] = customers.churned[i] === 1 ? 1 : 0;
    // with the margin basis every customer has a cost
    value[j] = basis === "margin" ? customers.revenue[i]! - customers.cost[i]! : customers.revenue[i]!;
  }
  return { sums: [months, churned, value], counts: new Uint8Array(n) };
}

/** hazardSums of one resample of the customers: the same draws and the same sums in the same order, so the same bits. */
function resampledSums(columns: { sums: Float64Array[]; counts: Uint8Array }, random: Random): HazardSums {
  const [months, churned, value] = countedSums(random, columns.sums, columns.counts);
  return { months: months!, churned: churned!, value: value! };
}

/** Lifetime value from sums: (value / months) / (churned / months) = value / churned; Infinity without churn. */
function lifetimeValueOf(sums: HazardSums): number {
  return sums.months === 0 ? Number.NaN : sums.churned === 0 ? Number.POSITIVE_INFINITY : sums.value / sums.churned;
}

function retentionFigures(customers: RetentionColumns, members: Int32Array, basis: "margin" | "revenue", discount: Discount): RetentionFigures {
  const n = members.length;
  const revenues = new Float64Array(n);
  const margins = new Float64Array(basis === "margin" ? n : 0);
  let startRevenue = 0;
  let endRevenue = 0;
  let kept = 0;
  let cohortSize = 0;
  let revenueSum = 0;
  let marginSum = 0;
  for (let j = 0; j < n; j++) {
    const i = members[j]!;
    revenues[j] = customers.revenue[i]!;
    revenueSum += revenues[j]!;
    if (basis === "margin") {
      margins[j] = customers.revenue[i]! - customers.cost[i]!;
      marginSum += margins[j]!;
    }
    const start = customers.startRevenue[i]!;
    if (Number.isNaN(start)) continue;
    cohortSize += 1;
    const end = Number.isNaN(customers.endRevenue[i]!) ? 0 : customers.endRevenue[i]!;
    startRevenue += start;
    endRevenue += end;
    kept += Math.min(end, start);
  }
  const sums = hazardSums(customers, members, basis);
  const hazard = sums.months === 0 ? null : sums.churned / sums.months;
  return {
    customers: n,
    revenuePerCustomer: n === 0 ? null : revenueSum / n,
    revenueMedian: medianInPlace(revenues),
    marginPerCustomer: basis === "margin" && n > 0 ? marginSum / n : null,
    marginMedian: basis === "margin" ? medianInPlace(margins) : null,
    startCohort: cohortSize,
    startRevenue,
    endRevenue,
    grossRevenueRetention: cohortSize === 0 || startRevenue === 0 ? null : kept / startRevenue,
    netRevenueRetention: cohortSize === 0 || startRevenue === 0 ? null : endRevenue / startRevenue,
    churned: sums.churned,
    customerMonths: sums.months,
    monthlyHazard: hazard,
    annualChurn: hazard === null ? null : monthlyAnnual(hazard),
    expectedLifetimeMonths: hazard === null || hazard === 0 ? null : 1 / hazard,
    monthlyValue: sums.months === 0 ? null : sums.value / sums.months,
    lifetimeValue: hazard === null || hazard === 0 ? null : sums.value / sums.months / hazard,
    discountedLifetimeValue: hazard === null || sums.months === 0 ? null : discountedLifetimeValue(sums.value / sums.months, hazard, discount),
  };
}

export interface Discount {
  /** A year's discount rate, e.g. 0.1. */
  annualRate: number;
  horizonMonths: number;
}

export const DEFAULT_DISCOUNT: Discount = { annualRate: 0.1, horizonMonths: 60 };

/**
 * Lifetime value discounted over a horizon: Σ_{k=1..H} m (1 − h)^k / (1 + i)^k with i = (1 + r)^(1/12) − 1,
 * in closed form m q (1 − q^H) / (1 − q), q = (1 − h)/(1 + i).
 * @example discountedLifetimeValue(100, 0, { annualRate: 0, horizonMonths: 60 }) // => 6000
 */
export function discountedLifetimeValue(monthlyValue: number, hazard: number, discount: Discount): number {
  const i = (1 + discount.annualRate) ** (1 / 12) - 1;
  const q = (1 - Math.min(1, hazard)) / (1 + i);
  const H = discount.horizonMonths;
  return q === 1 ? monthlyValue * H : (monthlyValue * q * (1 - q ** H)) / (1 - q);
}

export interface RetentionOptions {
  /** Bootstrap resamples for the lifetime-value ratio (0: no interval). Default 1000. */
  resamples?: number | undefined;
  seed?: number | undefined;
  /** --discount-rate and --horizon (default 10% a year over 60 months). */
  discount?: Discount | undefined;
}

/**
 * Retention and value per category and overall, over matched customers (each with its latest
 * category). Customers without periods count toward revenue, not toward hazard or retention.
 */
export function retentionByCategory(given: readonly RetentionCustomer[] | RetentionColumns, options: RetentionOptions = {}): RetentionSummary {
  const customers = columnsOf(given);
  let costs = customers.length > 0;
  for (let i = 0; i < customers.length && costs; i++) costs = !Number.isNaN(customers.cost[i]!);
  const basis = costs ? "margin" : "revenue";
  const members = membersOf(customers);
  const discount = options.discount ?? DEFAULT_DISCOUNT;
  const byCategory = NPS_CATEGORIES.map((category, k) => ({ category, ...retentionFigures(customers, members.byCategory[k]!, basis, discount) }));
  let total = 0;
  for (let i = 0; i < customers.length; i++) total += customers.revenue[i]!;
  const categoryRevenue = (k: number) => {
    let sum = 0;
    for (const i of members.byCategory[k]!) sum += customers.revenue[i]!;
    return sum;
  };
  const revenueWeightedNps = total === 0 ? null : (100 * (categoryRevenue(0) - categoryRevenue(2))) / total;

  let ltvRatio: LifetimeValueRatio | null = null;
  const promoterLtv = byCategory[0]!.lifetimeValue;
  const detractorLtv = byCategory[2]!.lifetimeValue;
  if (promoterLtv !== null && detractorLtv !== null && detractorLtv > 0) {
    const resamples = options.resamples ?? 1000;
    const seed = options.seed ?? 1;
    const random = createRandom(seed);
    const ratios = new Float64Array(resamples);
    const promoterColumns = resampledColumns(customers, members.byCategory[0]!, basis);
    const detractorColumns = resampledColumns(customers, members.byCategory[2]!, basis);
    for (let b = 0; b < resamples; b++) {
      const p = lifetimeValueOf(resampledSums(promoterColumns, random));
      const d = lifetimeValueOf(resampledSums(detractorColumns, random));
      // a resample without churned detractors has an unbounded detractor value: the ratio is 0 there
      ratios[b] = d === Number.POSITIVE_INFINITY ? (p === Number.POSITIVE_INFINITY ? Number.NaN : 0) : p / d;
    }
    const finite = ratios.filter((r) => !Number.isNaN(r));
    const [low, high] = resamples > 0 && finite.length > 0 ? percentileInterval(finite) : [Number.NaN, Number.NaN];
    const bound = (x: number) => (Number.isFinite(x) ? x : null);
    const resampling = { promoter: resamplingKind(promoterColumns.counts.length), detractor: resamplingKind(detractorColumns.counts.length) };
    ltvRatio = { ratio: promoterLtv / detractorLtv, ciLow: bound(low), ciHigh: bound(high), resamples, seed, resampling };
  }
  return { basis, revenueWeightedNps, byCategory, overall: retentionFigures(customers, members.all, basis, discount), ltvRatio, discount };
}

export interface CohortRetention {
  customers: number;
  startRevenue: number;
  endRevenue: number;
  /** Σ min(end, start) / Σ start. */
  grossRevenueRetention: number | null;
  /** Σ end / Σ start. */
  netRevenueRetention: number | null;
}

/**
 * The standard 12-month revenue retention cohort (SaaS metrics practice): the customers with revenue
 * in the month a year before the file's last, their revenue in the last month against it.
 */
export function cohortRetention(given: readonly RetentionCustomer[] | RetentionColumns): { overall: CohortRetention; byCategory: ({ category: NpsCategory } & CohortRetention)[] } {
  const customers = columnsOf(given);
  const one = (category: number): CohortRetention => {
    let start = 0;
    let end = 0;
    let kept = 0;
    let n = 0;
    for (let i = 0; i < customers.length; i++) {
      if (category >= 0 && customers.category[i] !== category) continue;
      const first = customers.cohortStartRevenue[i]!;
      if (Number.isNaN(first)) continue;
      const last = Number.isNaN(customers.cohortEndRevenue[i]!) ? 0 : customers.cohortEndRevenue[i]!;
      n += 1;
      start += first;
      end += last;
      kept += Math.min(last, first);
    }
    return { customers: n, startRevenue: start, endRevenue: end, grossRevenueRetention: start > 0 ? kept / start : null, netRevenueRetention: start > 0 ? end / start : null };
  };
  return { overall: one(-1), byCategory: NPS_CATEGORIES.map((category, k) => ({ category, ...one(k) })) };
}
