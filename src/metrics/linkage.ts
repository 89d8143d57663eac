/**
 * The group-level link between loyalty and money (shared/DESIGN.md section 3, "Linkage"): per
 * group (branch, region, segment…) its NPS over all its responses against its matched customers'
 * revenue per customer, margin per customer and churn rate; across groups the OLS slope of each
 * KPI on NPS with its SE and p, R², Pearson's r and Spearman's ρ with p (t approximation, n − 2 df).
 */
import { clampCorrelation, pearson, spearman } from "../stats/correlation.js";
import { ols } from "../stats/ols.js";

import { studentTQuantile, studentTTwoSidedP } from "../stats/distributions.js";

export type LinkageKpi = "revenuePerCustomer" | "marginPerCustomer" | "churnRate" | "revenueGrowth";

export const LINKAGE_KPIS: readonly LinkageKpi[] = ["revenuePerCustomer", "marginPerCustomer", "churnRate", "revenueGrowth"];

export interface LinkageGroup {
  group: string;
  nps: number;
  /** Responses behind the NPS (the weight of the group in the weighted variant). */
  responses: number;
  /** Matched customers whose latest response is in the group. */
  customers: number;
  revenuePerCustomer: number | null;
  marginPerCustomer: number | null;
  churnRate: number | null;
  /** Revenue in the window's second half / revenue in its first half − 1; null without periods. */
  revenueGrowth?: number | null;
}

export interface KpiLinkage {
  kpi: LinkageKpi;
  /** Groups with a value of the KPI. */
  n: number;
  slope: number | null;
  slopeStdError: number | null;
  slopeP: number | null;
  slopeCiLow: number | null;
  slopeCiHigh: number | null;
  intercept: number | null;
  rSquared: number | null;
  pearsonR: number | null;
  pearsonP: number | null;
  spearmanRho: number | null;
  spearmanP: number | null;
}

/** Per-group sums from which the KPIs follow. */
export interface GroupMoney {
  group: string;
  nps: number;
  responses: number;
  customers: number;
  revenue: number;
  /** null without a cost column. */
  margin: number | null;
  /** null without periods. */
  churned: number | null;
  /** Revenue in the first and second half of the window's periods (the middle one of an odd count left out); null without periods. */
  firstHalfRevenue?: number | null;
  secondHalfRevenue?: number | null;
}

/** The per-group KPIs: revenue and margin per customer, churn rate (null for a group without customers). */
export function linkageGroups(groups: readonly GroupMoney[]): LinkageGroup[] {
  return groups.map((g) => ({
    group: g.group,
    nps: g.nps,
    responses: g.responses,
    customers: g.customers,
    revenuePerCustomer: g.customers === 0 ? null : g.revenue / g.customers,
    marginPerCustomer: g.customers === 0 || g.margin === null ? null : g.margin / g.customers,
    churnRate: g.customers === 0 || g.churned === null ? null : g.churned / g.customers,
    revenueGrowth: g.firstHalfRevenue == null || g.secondHalfRevenue == null || g.firstHalfRevenue === 0 ? null : g.secondHalfRevenue / g.firstHalfRevenue - 1,
  }));
}

/**
 * The across-group statistics of one KPI against NPS. With fewer than 3 groups, or a constant NPS
 * or KPI, the statistics are null (there is no slope to estimate).
 */
export function kpiLinkage(groups: readonly LinkageGroup[], kpi: LinkageKpi): KpiLinkage {
  const usable = groups.filter((g) => g[kpi] != null);
  const x = usable.map((g) => g.nps);
  const y = usable.map((g) => g[kpi]!);
  const empty = { slope: null, slopeStdError: null, slopeP: null, slopeCiLow: null, slopeCiHigh: null, intercept: null, rSquared: null };
  const correlation = pearson(x, y);
  const rank = spearman(x, y);
  const base = { kpi, n: usable.length, pearsonR: correlation.r, pearsonP: correlation.p, spearmanRho: rank.r, spearmanP: rank.p };
  if (usable.length < 3 || correlation.r === null) return { ...base, ...empty };
  const fit = ols(y, [x]);
  const slope = fit.terms[1]!;
  return {
    ...base,
    slope: slope.estimate,
    slopeStdError: slope.stdError,
    slopeP: slope.p,
    slopeCiLow: slope.ciLow,
    slopeCiHigh: slope.ciHigh,
    intercept: fit.terms[0]!.estimate,
    rSquared: fit.rSquared,
  };
}

/**
 * The weighted variant: weighted least squares of the KPI on NPS with each group weighted by its
 * responses (R: lm(kpi ~ nps, weights = responses)); Pearson's r is the weighted correlation
 * (sign of the slope × √R²) with the same t test; Spearman's ρ stays unweighted.
 */
export function weightedKpiLinkage(groups: readonly LinkageGroup[], kpi: LinkageKpi): KpiLinkage {
  const plain = kpiLinkage(groups, kpi);
  const usable = groups.filter((g) => g[kpi] != null && g.responses > 0);
  const n = usable.length;
  const empty = { ...plain, n, slope: null, slopeStdError: null, slopeP: null, slopeCiLow: null, slopeCiHigh: null, intercept: null, rSquared: null, pearsonR: null, pearsonP: null };
  if (n < 3) return empty;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (const g of usable) {
    sw += g.responses;
    sx += g.responses * g.nps;
    sy += g.responses * g[kpi]!;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const g of usable) {
    const dx = g.nps - mx;
    const dy = g[kpi]! - my;
    sxx += g.responses * dx * dx;
    sxy += g.responses * dx * dy;
    syy += g.responses * dy * dy;
  }
  if (sxx === 0 || syy === 0) return empty;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const rss = Math.max(0, syy - slope * sxy);
  const df = n - 2;
  const stdError = Math.sqrt(rss / df / sxx);
  const t = slope / stdError;
  const p = studentTTwoSidedP(t, df);
  const q = studentTQuantile(0.975, df);
  const rSquared = Math.min(1, (sxy * sxy) / (sxx * syy));
  return {
    ...plain,
    n,
    slope,
    slopeStdError: stdError,
    slopeP: p,
    slopeCiLow: slope - q * stdError,
    slopeCiHigh: slope + q * stdError,
    intercept,
    rSquared,
    pearsonR: clampCorrelation(sxy / Math.sqrt(sxx * syy)),
    pearsonP: p,
  };
}
