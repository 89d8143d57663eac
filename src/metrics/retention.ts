/**
 * Retention and value by NPS category (shared/METHODS.md b5): revenue-weighted NPS, mean and
 * median revenue and margin per customer, gross and net revenue retention of the cohort active at
 * the start of the window, the monthly churn hazard (churned customers / customer-months at risk),
 * and the simple lifetime value = monthly value per customer-month / monthly hazard, with the
 * promoter-to-detractor ratio of lifetime values and its bootstrap interval.
 */
import { countedSums, percentileInterval, quantile } from "../stats/bootstrap.js";
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

const median = (values: number[]): number | null => (values.length === 0 ? null : quantile(values, 0.5));

const monthlyAnnual = (hazard: number) => 1 - (1 - Math.min(1, hazard)) ** 12;

interface HazardSums {
  churned: number;
  months: number;
  value: number;
}

/** The customers as columns for the bootstrap's sums: months at risk (NaN: none), churned, value. */
interface HazardColumns {
  months: Float64Array;
  churned: Uint8Array;
  value: Float64Array;
}

function hazardColumns(customers: readonly RetentionCustomer[], basis: "margin" | "revenue"): HazardColumns {
  const n = customers.length;
  const columns = { months: new Float64Array(n), churned: new Uint8Array(n), value: new Float64Array(n) };
  customers.forEach((c, i) => {
    columns.months[i] = c.monthsAtRisk ?? Number.NaN;
    columns.churned[i] = c.churned ? 1 : 0;
    columns.value[i] = basis === "margin" ? c.revenue - (c.cost ?? 0) : c.revenue;
  });
  return columns;
}

function hazardSums(customers: readonly RetentionCustomer[] | HazardColumns, basis: "margin" | "revenue", counts?: Int32Array): HazardSums {
  const { months, churned, value } = "months" in customers ? customers : hazardColumns(customers, basis);
  const sums = { churned: 0, months: 0, value: 0 };
  for (let i = 0; i < months.length; i++) {
    const w = counts ? counts[i]! : 1;
    if (w === 0 || Number.isNaN(months[i]!)) continue;
    sums.months += w * months[i]!;
    if (churned[i] === 1) sums.churned += w;
    sums.value += w * value[i]!;
  }
  return sums;
}

/** Hazard columns for the bootstrap's countedSums: months, churned (0/1) and value, 0 in each for a customer without months at risk (hazardSums skips them). */
function resampledColumns(columns: HazardColumns): { sums: Float64Array[]; counts: Uint8Array } {
  const n = columns.months.length;
  const at = (i: number) => !Number.isNaN(columns.months[i]!);
  const months = Float64Array.from({ length: n }, (_, i) => (at(i) ? columns.months[i]! : 0));
  const churned = Float64Array.from({ length: n }, (_, i) => (at(i) ? columns.churned[i]! : 0));
  const value = Float64Array.from({ length: n }, (_, i) => (at(i) ? columns.value[i]! : 0));
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

function retentionFigures(customers: readonly RetentionCustomer[], basis: "margin" | "revenue", discount: Discount): RetentionFigures {
  const revenues = customers.map((c) => c.revenue);
  const margins = basis === "margin" ? customers.map((c) => c.revenue - (c.cost ?? 0)) : [];
  const cohort = customers.filter((c) => c.startRevenue !== null);
  let startRevenue = 0;
  let endRevenue = 0;
  let kept = 0;
  for (const c of cohort) {
    startRevenue += c.startRevenue!;
    endRevenue += c.endRevenue ?? 0;
    kept += Math.min(c.endRevenue ?? 0, c.startRevenue!);
  }
  const sums = hazardSums(customers, basis);
  const hazard = sums.months === 0 ? null : sums.churned / sums.months;
  const n = customers.length;
  return {
    customers: n,
    revenuePerCustomer: n === 0 ? null : revenues.reduce((a, b) => a + b, 0) / n,
    revenueMedian: median(revenues),
    marginPerCustomer: basis === "margin" && n > 0 ? margins.reduce((a, b) => a + b, 0) / n : null,
    marginMedian: basis === "margin" ? median(margins) : null,
    startCohort: cohort.length,
    startRevenue,
    endRevenue,
    grossRevenueRetention: cohort.length === 0 || startRevenue === 0 ? null : kept / startRevenue,
    netRevenueRetention: cohort.length === 0 || startRevenue === 0 ? null : endRevenue / startRevenue,
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
export function retentionByCategory(customers: readonly RetentionCustomer[], options: RetentionOptions = {}): RetentionSummary {
  const basis = customers.length > 0 && customers.every((c) => c.cost !== null) ? "margin" : "revenue";
  const byCategoryCustomers = new Map(NPS_CATEGORIES.map((category) => [category, customers.filter((c) => c.category === category)]));
  const discount = options.discount ?? DEFAULT_DISCOUNT;
  const byCategory = NPS_CATEGORIES.map((category) => ({ category, ...retentionFigures(byCategoryCustomers.get(category)!, basis, discount) }));
  const total = customers.reduce((sum, c) => sum + c.revenue, 0);
  const categoryRevenue = (category: NpsCategory) => byCategoryCustomers.get(category)!.reduce((sum, c) => sum + c.revenue, 0);
  const revenueWeightedNps = total === 0 ? null : (100 * (categoryRevenue("promoter") - categoryRevenue("detractor"))) / total;

  let ltvRatio: LifetimeValueRatio | null = null;
  const promoters = byCategoryCustomers.get("promoter")!;
  const detractors = byCategoryCustomers.get("detractor")!;
  const promoterLtv = byCategory[0]!.lifetimeValue;
  const detractorLtv = byCategory[2]!.lifetimeValue;
  if (promoterLtv !== null && detractorLtv !== null && detractorLtv > 0) {
    const resamples = options.resamples ?? 1000;
    const seed = options.seed ?? 1;
    const random = createRandom(seed);
    const ratios = new Float64Array(resamples);
    const promoterColumns = resampledColumns(hazardColumns(promoters, basis));
    const detractorColumns = resampledColumns(hazardColumns(detractors, basis));
    for (let b = 0; b < resamples; b++) {
      const p = lifetimeValueOf(resampledSums(promoterColumns, random));
      const d = lifetimeValueOf(resampledSums(detractorColumns, random));
      // a resample without churned detractors has an unbounded detractor value: the ratio is 0 there
      ratios[b] = d === Number.POSITIVE_INFINITY ? (p === Number.POSITIVE_INFINITY ? Number.NaN : 0) : p / d;
    }
    const finite = ratios.filter((r) => !Number.isNaN(r));
    const [low, high] = resamples > 0 && finite.length > 0 ? percentileInterval(finite) : [Number.NaN, Number.NaN];
    const bound = (x: number) => (Number.isFinite(x) ? x : null);
    ltvRatio = { ratio: promoterLtv / detractorLtv, ciLow: bound(low), ciHigh: bound(high), resamples, seed };
  }
  return { basis, revenueWeightedNps, byCategory, overall: retentionFigures(customers, basis, discount), ltvRatio, discount };
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
export function cohortRetention(customers: readonly RetentionCustomer[]): { overall: CohortRetention; byCategory: ({ category: NpsCategory } & CohortRetention)[] } {
  const one = (group: readonly RetentionCustomer[]): CohortRetention => {
    let start = 0;
    let end = 0;
    let kept = 0;
    let n = 0;
    for (const c of group) {
      if (c.cohortStartRevenue === null || c.cohortStartRevenue === undefined) continue;
      n += 1;
      start += c.cohortStartRevenue;
      end += c.cohortEndRevenue ?? 0;
      kept += Math.min(c.cohortEndRevenue ?? 0, c.cohortStartRevenue);
    }
    return { customers: n, startRevenue: start, endRevenue: end, grossRevenueRetention: start > 0 ? kept / start : null, netRevenueRetention: start > 0 ? end / start : null };
  };
  return { overall: one(customers), byCategory: NPS_CATEGORIES.map((category) => ({ category, ...one(customers.filter((c) => c.category === category)) })) };
}
